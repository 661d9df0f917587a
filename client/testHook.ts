// TEST HOOK: `window.__gridcc`, for browser tests (tests/e2e) to wait for the map and inspect it
// without sleeping. Small on purpose, read-only except `setHidden`; nothing in the app reads it.
//
//   await page.waitForFunction(() => window.__gridcc?.isReady)   // or: evaluate(() => __gridcc.ready)
//   const stats = await page.evaluate(() => window.__gridcc!.layers())
//   const [x, y] = await page.evaluate(([lon, lat]) => { const p = window.__gridcc!.map!.project([lon, lat]); return [p.x, p.y]; }, pt)
//
// `ready` resolves once (1) the data of every layer group shown (grids, boundaries, cameras,
// incidents, patrols — whatever the page has on) is in its deck.gl layers, with the township labels
// when boundaries are on, (2) deck.gl has drawn a frame with them and every visible layer reports
// `isLoaded`, and (3) MapLibre is idle (basemap sources loaded and drawn).
//
// For benchmarks: `timings` (performance.now() of map creation, first idle, each group's first
// frame with data, ready) and `measureLayerUpdates()` (what a live-positions update costs beside
// a change of everything).
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';

export interface LayerStat {
  id: string;
  visible: boolean;
  /** Number of data items (features, labels) in the layer. */
  count: number;
  /** deck.gl `layer.isLoaded`: initialised, no async data pending. */
  loaded: boolean;
}

export interface GridccTestHook {
  /** The MapLibre map, once created. */
  map: MapLibreMap | null;
  /** The deck.gl MapboxOverlay (overlaid mode), once created. */
  deck: MapboxOverlay | null;
  /** Resolves when data layers are drawn and the map is idle (see above). */
  readonly ready: Promise<void>;
  isReady: boolean;
  /** Number of deck.gl frames drawn so far. */
  frames: number;
  /** The deck.gl layers as last handed to the overlay. */
  layers(): LayerStat[];
  /** The data array of one deck.gl layer (e.g. 'grids', 'township-labels'), or null. */
  layerData(id: string): readonly unknown[] | null;
  /** Hides these deck.gl layers (and shows all others); resolves after the next frame drawn with it. */
  setHidden(ids: string[]): Promise<void>;
  /** Resolves after the next deck.gl frame. */
  nextFrame(): Promise<void>;
  /** performance.now() of: mapCreated, mapIdle, each layer group's first frame with its data, ready. */
  timings: Record<string, number>;
  /** Layer groups of the page: enabled, and still waiting for data. */
  groups(): { enabled: string[]; pending: string[] };
  /** Replaces live worker positions as if the socket had sent them (benchmarks, tests). */
  injectPositions(tuples: Array<[number, number, number, number, number, number | null, number | null, number | null, number]>): Promise<void>;
  /** The live worker tuples the page holds now. */
  workers(): Array<[number, number, number, number, number, number | null, number | null, number | null, number]>;
  /** Refetches the KPI panel's figures; resolves with the `asOf` of the figures shown. */
  refreshKpis(): Promise<string | null>;
  /**
   * Times handing the layers to deck.gl after (a) only the worker positions changed and (b) every
   * layer's attributes were invalidated; counts the layer and attribute updates each caused.
   */
  measureLayerUpdates(runs?: number): Promise<LayerUpdateMeasure>;
}

export interface LayerUpdateRun {
  /** Median ms of deck.gl's layer update for the new layers (matching, updateState, attributes). */
  updateMs: number;
  /** Median ms from the change until the next frame was drawn. */
  frameMs: number;
  /** deck.gl "Layer updates" per run (layers whose props changed). */
  layerUpdates: number;
  /** deck.gl "Attributes updated" per run (attribute managers that recomputed something). */
  attributeUpdates: number;
  /** deck.gl "Update Attributes" time per run, ms. */
  updateAttributesMs: number;
}

export interface LayerUpdateMeasure {
  workers: number;
  layers: number;
  positionsOnly: LayerUpdateRun;
  everything: LayerUpdateRun;
}

/** What MapView uses to feed the hook (not part of the test-facing interface). */
export interface GridccTestHookControl extends GridccTestHook {
  _layers: readonly Layer[];
  /** Bumped by MapView each time it hands new layers to deck.gl. */
  _generation: number;
  _setHiddenImpl: ((ids: string[]) => void) | null;
  _frameDrawn(): void;
  _markReady(): void;
  /** While measuring: MapView runs deck.gl's layer update synchronously after setProps and times it. */
  _syncLayerUpdates: boolean;
  _lastLayerUpdateMs: number;
  _groups: { enabled: string[]; pending: string[] };
  /** Set by the app: feed worker tuples into the live store. */
  _injectPositions: ((tuples: Parameters<GridccTestHook['injectPositions']>[0]) => void) | null;
  _workers: (() => ReturnType<GridccTestHook['workers']>) | null;
  /** Set by MapView: hand every layer a fresh copy of its data (`reset`: back to the originals). */
  _invalidateAll: ((reset?: boolean) => void) | null;
  _refreshKpis: (() => Promise<string | null>) | null;
}

declare global {
  interface Window {
    __gridcc?: GridccTestHook;
  }
}

/** `layer.isLoaded`, false for a layer deck.gl has not initialised yet (it does so at its next frame). */
function isLoaded(layer: Layer): boolean {
  try {
    return layer.isLoaded;
  } catch {
    return false;
  }
}

function dataLength(layer: Layer): number {
  const data = layer.props.data as unknown;
  if (Array.isArray(data)) return data.length;
  if (data && typeof data === 'object' && 'length' in data) return Number((data as { length: number }).length);
  return 0;
}

export function createTestHook(): GridccTestHookControl {
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  // Each waiter resolves at the first frame drawn with layers of at least its generation.
  let frameWaiters: Array<{ generation: number; resolve: () => void }> = [];

  const hook: GridccTestHookControl = {
    map: null,
    deck: null,
    ready,
    isReady: false,
    frames: 0,
    _layers: [],
    _generation: 0,
    _setHiddenImpl: null,
    _syncLayerUpdates: false,
    _lastLayerUpdateMs: 0,
    _groups: { enabled: [], pending: [] },
    _injectPositions: null,
    _workers: null,
    _invalidateAll: null,
    _refreshKpis: null,
    timings: {},
    groups() {
      return { enabled: [...hook._groups.enabled], pending: [...hook._groups.pending] };
    },
    injectPositions(tuples) {
      if (!hook._injectPositions) return Promise.reject(new Error('no live layer on this page'));
      const generation = hook._generation + 1;
      return new Promise<void>((resolve) => {
        frameWaiters.push({ generation, resolve });
        hook._injectPositions!(tuples);
      });
    },
    workers() {
      return hook._workers ? hook._workers() : [];
    },
    refreshKpis() {
      return hook._refreshKpis ? hook._refreshKpis() : Promise.resolve(null);
    },
    async measureLayerUpdates(runs = 15) {
      const deck = (hook.deck as unknown as { _deck?: DeckInternals } | null)?._deck;
      if (!deck || !hook._injectPositions || !hook._invalidateAll) throw new Error('map or live layer not ready');
      const base = hook.workers();
      if (!base.length) throw new Error('no worker positions to move');
      const measure = async (change: (i: number) => void): Promise<LayerUpdateRun> => {
        const setProps: number[] = [];
        const frames: number[] = [];
        const layerUpdates: number[] = [];
        const attributeUpdates: number[] = [];
        const attrMs: number[] = [];
        for (let i = 0, attempts = 0; setProps.length < runs && attempts < runs * 2; i++, attempts++) {
          await hook.nextFrame();
          const s0 = statsOf(deck);
          const generation = hook._generation + 1;
          const t0 = performance.now();
          await new Promise<void>((resolve) => {
            frameWaiters.push({ generation, resolve });
            change(i);
          });
          const frameMs = performance.now() - t0;
          const s1 = statsOf(deck);
          // deck.gl resets its stats every 60 frames: a run across a reset is measured again.
          if (s1.layerUpdates < s0.layerUpdates || s1.attributeUpdates < s0.attributeUpdates || s1.updateAttributesMs < s0.updateAttributesMs) continue;
          frames.push(frameMs);
          setProps.push(hook._lastLayerUpdateMs);
          layerUpdates.push(s1.layerUpdates - s0.layerUpdates);
          attributeUpdates.push(s1.attributeUpdates - s0.attributeUpdates);
          attrMs.push(s1.updateAttributesMs - s0.updateAttributesMs);
        }
        return {
          updateMs: median(setProps),
          frameMs: median(frames),
          layerUpdates: median(layerUpdates),
          attributeUpdates: median(attributeUpdates),
          updateAttributesMs: median(attrMs),
        };
      };
      // Every worker moves a few metres and the clock advances: a full tick of the whole county.
      const moved = (i: number) =>
        base.map((t) => [t[0], t[1] + (i % 2 ? 1 : -1) * 2e-5, t[2] + 1e-5, t[3] + (i + 1) * 1000, t[4], t[5], t[6], t[7], t[8]] as (typeof base)[number]);
      hook._syncLayerUpdates = true;
      try {
        const positionsOnly = await measure((i) => hook._injectPositions!(moved(i)));
        const everything = await measure((i) => {
          hook._injectPositions!(moved(i + runs));
          hook._invalidateAll!();
        });
        return { workers: base.length, layers: hook._layers.length, positionsOnly, everything };
      } finally {
        hook._syncLayerUpdates = false;
        hook._invalidateAll(true);
        hook._injectPositions(base);
      }
    },
    layers() {
      return hook._layers.map((l) => ({
        id: l.id,
        visible: l.props.visible !== false,
        count: dataLength(l),
        loaded: isLoaded(l),
      }));
    },
    layerData(id) {
      const layer = hook._layers.find((l) => l.id === id);
      return layer ? (layer.props.data as readonly unknown[]) : null;
    },
    setHidden(ids) {
      if (!hook._setHiddenImpl) return Promise.reject(new Error('map not mounted'));
      // The new layers reach deck.gl in a React effect (which bumps _generation): wait for the
      // first frame drawn after that.
      const generation = hook._generation + 1;
      return new Promise<void>((resolve) => {
        frameWaiters.push({ generation, resolve });
        hook._setHiddenImpl!(ids);
      });
    },
    nextFrame() {
      return new Promise<void>((resolve) => {
        frameWaiters.push({ generation: hook._generation, resolve });
        // Force a frame even if nothing changed (MapboxOverlay keeps its Deck in a private field).
        requestAnimationFrame(() => {
          (hook.deck as unknown as { _deck?: { redraw(reason: string): void } } | null)?._deck?.redraw('test hook');
        });
      });
    },
    _frameDrawn() {
      hook.frames++;
      const done = frameWaiters.filter((w) => w.generation <= hook._generation);
      frameWaiters = frameWaiters.filter((w) => w.generation > hook._generation);
      for (const w of done) w.resolve();
    },
    _markReady() {
      if (hook.isReady) return;
      hook.isReady = true;
      resolveReady();
    },
  };
  return hook;
}

interface DeckInternals {
  stats: { get(name: string): { count: number; time: number } };
  redraw(reason: string): void;
}

function statsOf(deck: DeckInternals) {
  return {
    layerUpdates: deck.stats.get('Layer updates').count,
    attributeUpdates: deck.stats.get('Attributes updated').count,
    updateAttributesMs: deck.stats.get('Update Attributes').time,
  };
}

function median(values: number[]): number {
  const v = values.map((x) => Math.max(0, x)).sort((a, b) => a - b);
  if (!v.length) return 0;
  const m = v.length >> 1;
  return +(v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2).toFixed(3);
}

/** The app's single hook, published on window by main.tsx. */
export const testHook: GridccTestHookControl = createTestHook();
