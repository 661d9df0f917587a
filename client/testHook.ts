// TEST HOOK: `window.__gridcc`, for browser tests (tests/e2e) to wait for the map and inspect it
// without sleeping. Small on purpose, read-only except `setHidden`; nothing in the app reads it.
//
//   await page.waitForFunction(() => window.__gridcc?.isReady)   // or: evaluate(() => __gridcc.ready)
//   const stats = await page.evaluate(() => window.__gridcc!.layers())
//   const [x, y] = await page.evaluate(([lon, lat]) => { const p = window.__gridcc!.map!.project([lon, lat]); return [p.x, p.y]; }, pt)
//
// `ready` resolves once (1) the grid, township and village data are in their deck.gl layers,
// (2) deck.gl has drawn a frame with them and every visible layer reports `isLoaded`, and
// (3) MapLibre is idle (basemap sources loaded and drawn).
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
}

/** What MapView uses to feed the hook (not part of the test-facing interface). */
export interface GridccTestHookControl extends GridccTestHook {
  _layers: readonly Layer[];
  /** Bumped by MapView each time it hands new layers to deck.gl. */
  _generation: number;
  _setHiddenImpl: ((ids: string[]) => void) | null;
  _frameDrawn(): void;
  _markReady(): void;
}

declare global {
  interface Window {
    __gridcc?: GridccTestHook;
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
    layers() {
      return hook._layers.map((l) => ({
        id: l.id,
        visible: l.props.visible !== false,
        count: dataLength(l),
        loaded: l.isLoaded,
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

/** The app's single hook, published on window by main.tsx. */
export const testHook: GridccTestHookControl = createTestHook();
