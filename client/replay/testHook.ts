// TEST HOOK: `window.__gridccReplay`, for the browser test (tests/e2e/replay.e2e.ts) to read the
// replay's state without sleeping or reading pixels. Written by ReplayPage every render (each
// animation frame while playing); nothing in the app reads it. Read-only for tests.
//
//   await page.waitForFunction(() => window.__gridccReplay?.status === 'ready' && window.__gridccReplay.mapReady)
//   const { time, markers } = await page.evaluate(() => window.__gridccReplay!)
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { MarkerState } from './types.js';

export interface ReplayHookWorker {
  workerId: number;
  name: string;
  gridId: number;
  /** Positions before simplification (server). */
  points: number;
  /** Vertices of the simplified path drawn. */
  vertices: number;
  distanceM: number;
  stops: number;
  stopMinutes: number;
  startMs: number;
  endMs: number;
}

export interface ReplayHookMarker {
  workerId: number;
  lon: number;
  lat: number;
  state: MarkerState;
  travelledM: number;
}

export interface ReplayTestHook {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  workers: ReplayHookWorker[];
  /** Range, replay time: epoch ms. */
  from: number;
  to: number;
  time: number;
  playing: boolean;
  speed: number;
  followed: number | null;
  /** Marker of each loaded worker at `time`. */
  markers: ReplayHookMarker[];
  /** Incidents of the window, and those reported by `time` (ids, in the order they appeared). */
  incidents: { total: number; shown: number; shownIds: number[] };
  /** The map has loaded its style and deck.gl has drawn at least one frame. */
  mapReady: boolean;
  /** deck.gl frames drawn. */
  frames: number;
  map: MapLibreMap | null;
  deck: MapboxOverlay | null;
  /** Ids and data lengths of the deck.gl layers last drawn. */
  layers: Array<{ id: string; count: number }>;
}

declare global {
  interface Window {
    __gridccReplay?: ReplayTestHook;
  }
}

export function createReplayTestHook(): ReplayTestHook {
  return {
    status: 'idle',
    error: null,
    workers: [],
    from: 0,
    to: 0,
    time: 0,
    playing: false,
    speed: 0,
    followed: null,
    markers: [],
    incidents: { total: 0, shown: 0, shownIds: [] },
    mapReady: false,
    frames: 0,
    map: null,
    deck: null,
    layers: [],
  };
}
