// The map state lives in the URL, so a view can be shared or set as the wall screen's start page:
//
//   /screen?c=118.76500,34.54000&z=10.50&layers=grids,incidents&ind=coverage&win=7d&src=hotline&st=open
//
// Only values that differ from the defaults are written (`layers=` empty means "base map only").
// Parsing is forgiving: anything unknown or malformed falls back to its default, so an old or
// hand-edited link still opens. Other query parameters are left as they are.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  GRID_INDICATORS,
  INCIDENT_SOURCES,
  STATUS_FILTERS,
  type GridIndicator,
  type IncidentSource,
  type StatusFilter,
} from './domain.js';

export const LAYER_KEYS = ['grids', 'regions', 'cameras', 'incidents', 'patrols'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

export const WINDOW_PRESETS = ['24h', '7d', '30d', 'custom'] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

export interface MapUrlState {
  /** View centre, WGS84 (null: fit the county). */
  center: [number, number] | null;
  zoom: number | null;
  /** Layers shown, in LAYER_KEYS order. */
  layers: LayerKey[];
  /** What the grid fill colours show. */
  indicator: GridIndicator;
  gridLabel: 'name' | 'code';
  /** Time window of the heatmap and of the `incidents` indicator. */
  window: WindowPreset;
  /** Custom window bounds (ISO 8601), used when window = custom. */
  from: string | null;
  to: string | null;
  categories: string[];
  sources: IncidentSource[];
  statuses: StatusFilter[];
  /** Base map: our offline one, or the configured online style. */
  basemap: 'offline' | 'online';
}

export const DEFAULT_URL_STATE: Readonly<MapUrlState> = Object.freeze({
  center: null,
  zoom: null,
  layers: [...LAYER_KEYS],
  indicator: 'open_incidents',
  gridLabel: 'name',
  window: '7d',
  from: null,
  to: null,
  categories: [],
  sources: [],
  statuses: [],
  basemap: 'offline',
});

const P = {
  center: 'c',
  zoom: 'z',
  layers: 'layers',
  indicator: 'ind',
  gridLabel: 'label',
  window: 'win',
  from: 'from',
  to: 'to',
  categories: 'cat',
  sources: 'src',
  statuses: 'st',
  basemap: 'bm',
} as const;
/** Query parameters this module owns. */
export const URL_STATE_PARAMS: readonly string[] = Object.values(P);

const oneOf = <T extends string>(allowed: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;

const listOf = <T extends string>(v: string | null, allowed?: readonly T[]): T[] => {
  if (!v) return [];
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const kept = allowed ? items.filter((s) => (allowed as readonly string[]).includes(s)) : items;
  return [...new Set(kept)] as T[];
};

const isoOrNull = (v: string | null): string | null => {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
};

export function parseUrlState(search: string | URLSearchParams): MapUrlState {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const s: MapUrlState = { ...DEFAULT_URL_STATE, layers: [...DEFAULT_URL_STATE.layers] };

  const c = q.get(P.center)?.split(',').map(Number);
  if (c && c.length === 2 && c.every(Number.isFinite) && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 85) {
    s.center = [c[0], c[1]];
  }
  const z = q.get(P.zoom);
  if (z !== null && z.trim() !== '' && Number.isFinite(Number(z))) s.zoom = Math.min(22, Math.max(0, Number(z)));

  if (q.has(P.layers)) {
    const wanted = new Set(listOf(q.get(P.layers), LAYER_KEYS));
    s.layers = LAYER_KEYS.filter((k) => wanted.has(k));
  }
  s.indicator = oneOf(GRID_INDICATORS, q.get(P.indicator), DEFAULT_URL_STATE.indicator);
  s.gridLabel = oneOf(['name', 'code'] as const, q.get(P.gridLabel), DEFAULT_URL_STATE.gridLabel);
  s.window = oneOf(WINDOW_PRESETS, q.get(P.window), DEFAULT_URL_STATE.window);
  s.from = isoOrNull(q.get(P.from));
  s.to = isoOrNull(q.get(P.to));
  if (s.window === 'custom' && (!s.from || !s.to || s.from >= s.to)) {
    // A custom window needs both ends in order; otherwise the default window.
    s.window = DEFAULT_URL_STATE.window;
  }
  if (s.window !== 'custom') {
    s.from = null;
    s.to = null;
  }
  s.categories = listOf(q.get(P.categories));
  s.sources = listOf(q.get(P.sources), INCIDENT_SOURCES);
  s.statuses = listOf(q.get(P.statuses), STATUS_FILTERS);
  s.basemap = oneOf(['offline', 'online'] as const, q.get(P.basemap), DEFAULT_URL_STATE.basemap);
  return s;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Writes the state into `base` (other parameters kept), defaults left out. Coordinates keep 5
 * decimals (~1 m), zoom 2.
 */
export function serializeUrlState(state: MapUrlState, base: string | URLSearchParams = ''): string {
  const q = new URLSearchParams(base);
  for (const p of URL_STATE_PARAMS) q.delete(p);
  const d = DEFAULT_URL_STATE;
  if (state.center) q.set(P.center, `${state.center[0].toFixed(5)},${state.center[1].toFixed(5)}`);
  if (state.zoom !== null) q.set(P.zoom, state.zoom.toFixed(2));
  const layers = LAYER_KEYS.filter((k) => state.layers.includes(k));
  if (!sameList(layers, d.layers)) q.set(P.layers, layers.join(','));
  if (state.indicator !== d.indicator) q.set(P.indicator, state.indicator);
  if (state.gridLabel !== d.gridLabel) q.set(P.gridLabel, state.gridLabel);
  if (state.window !== d.window) q.set(P.window, state.window);
  if (state.window === 'custom' && state.from && state.to) {
    q.set(P.from, state.from);
    q.set(P.to, state.to);
  }
  if (state.categories.length) q.set(P.categories, state.categories.join(','));
  if (state.sources.length) q.set(P.sources, state.sources.join(','));
  if (state.statuses.length) q.set(P.statuses, state.statuses.join(','));
  if (state.basemap !== d.basemap) q.set(P.basemap, state.basemap);
  // Commas and CJK stay readable in the address bar.
  return q.toString().replace(/%2C/gi, ',');
}

export type UrlStateUpdate = Partial<MapUrlState> | ((prev: MapUrlState) => Partial<MapUrlState>);

/**
 * The state, parsed once from the location, and a setter that merges a change and writes the URL
 * with history.replaceState after `debounceMs` (a pan fires many changes; the history keeps one
 * entry and the address bar follows).
 */
export function useUrlState(debounceMs = 400): [MapUrlState, (update: UrlStateUpdate) => void] {
  const [state, setState] = useState<MapUrlState>(() => parseUrlState(globalThis.location?.search ?? ''));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const first = useRef(true);

  const update = useCallback((u: UrlStateUpdate) => {
    setState((prev) => {
      const change = typeof u === 'function' ? u(prev) : u;
      const next = { ...prev, ...change };
      return shallowEqualState(prev, next) ? prev : next;
    });
  }, []);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const loc = globalThis.location;
      if (!loc) return;
      const search = serializeUrlState(state, loc.search);
      const url = `${loc.pathname}${search ? `?${search}` : ''}${loc.hash}`;
      if (url !== `${loc.pathname}${loc.search}${loc.hash}`) globalThis.history.replaceState(globalThis.history.state, '', url);
    }, debounceMs);
  }, [state, debounceMs]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return [state, update];
}

function shallowEqualState(a: MapUrlState, b: MapUrlState): boolean {
  for (const k of Object.keys(b) as Array<keyof MapUrlState>) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (!sameList(x as readonly unknown[] as string[], y as readonly unknown[] as string[])) return false;
    } else if (x !== y) return false;
  }
  return true;
}
