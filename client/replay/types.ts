// Types of the patrol replay (巡查轨迹回放). Response types come from the server's TypeBox schemas
// where they are exported (type-only imports: nothing of the server is bundled).
import type { IncidentPointCollection, IncidentPointProperties } from '../../server/schemas/incidents.js';
import type { GridDetail } from '../../server/schemas/grids.js';
import type { LatestPosition } from '../../server/schemas/positions.js';
import type { SearchResult } from '../../server/routes/search.js';

export type { GridDetail, IncidentPointCollection, IncidentPointProperties, LatestPosition, SearchResult };

import type { Track, TrackStop } from '../../server/schemas/patrols.js';

export type { Track, TrackStop };

/** A worker as the pickers know it. */
export interface WorkerRef {
  id: number;
  name: string;
  /** Assigned grid, when known. */
  gridId?: number;
}

/** A grid or village as the search knows it. */
export interface AreaRef {
  id: number;
  code: string;
  name: string;
  /** e.g. "牛山街道 · 牛山社区" */
  context?: string;
  bbox?: [number, number, number, number];
}

/** Whose tracks to replay: some workers, all workers of a grid, or all workers of a village. */
export type ReplaySelection =
  | { kind: 'workers'; workers: WorkerRef[] }
  | { kind: 'grid'; grid: AreaRef }
  | { kind: 'village'; village: AreaRef };

/** A time range, epoch milliseconds, `from < to`. */
export interface ReplayRange {
  from: number;
  to: number;
}

/** State of a worker at the replay time. */
export type MarkerState =
  /** Before the first position of the range: not drawn. */
  | 'before'
  /** Between two positions: interpolated. */
  | 'active'
  /** Inside one of the track's stops. */
  | 'stopped'
  /** Inside a long stretch without positions (phone off, dead zone): held at the last position. */
  | 'gap'
  /** After the last position of the range: held there. */
  | 'after';

export interface MarkerPosition {
  lon: number;
  lat: number;
  state: MarkerState;
  /** Distance travelled since the start of the range, metres (scaled to the server's `distanceM`). */
  travelledM: number;
}

/** A stop with parsed times (epoch ms). */
export interface PreparedStop extends TrackStop {
  workerId: number;
  fromMs: number;
  toMs: number;
  /** Index of the track in the loaded list (its colour). */
  trackIndex: number;
}

/** A track ready for the clock and the layers: typed arrays, cumulative distance, gaps marked. */
export interface PreparedTrack {
  workerId: number;
  name: string;
  gridId: number;
  /** Position in the loaded list: picks the colour. */
  index: number;
  /** Vertex times, epoch seconds. */
  times: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  /** Cumulative great-circle length along the (simplified) path at each vertex, metres. */
  cum: Float64Array;
  /** 1 where the segment from vertex i to i+1 is a gap (no positions for a long time, not a stop). */
  gapAfter: Uint8Array;
  /** [lon, lat] of each vertex, for deck.gl's PathLayer (built once). */
  coordinates: Array<[number, number]>;
  /** Vertex times in seconds since `origin` (float32 keeps sub-second precision over 7 days). */
  relTimes: Float32Array;
  /** Epoch ms that `relTimes` count from (the range start). */
  origin: number;
  stops: PreparedStop[];
  /** First / last position, epoch ms (NaN for an empty path). */
  startMs: number;
  endMs: number;
  points: number;
  distanceM: number;
  stopMinutes: number;
}

/** An incident of the window, shown from its `reportedAt` on. */
export interface ReplayIncident {
  id: number;
  code: string;
  category: string;
  source: string;
  status: string;
  priority: number;
  lon: number;
  lat: number;
  /** reportedAt, epoch ms */
  at: number;
}
