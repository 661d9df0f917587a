// Where a worker is at replay time t: binary search on the vertex times of its (simplified) path,
// then linear interpolation inside the segment. Pure functions, no React, no map.
import type { MarkerPosition, PreparedStop, PreparedTrack, Track } from './types.js';

/**
 * A segment longer than this without positions, that is not part of a stop, is a gap (phone off,
 * dead zone): the marker waits at the last position instead of gliding across the map.
 * The server simplifies paths, so a straight walk can be one long segment: 10 minutes is well
 * above a walk between two waypoints of a grid.
 */
export const GAP_SECONDS = 600;

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance, metres. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface PrepareOptions {
  /** Position in the loaded list (colour). */
  index: number;
  /** Epoch ms the float32 shader times count from (the range start). */
  origin: number;
  gapSeconds?: number;
}

/** Typed arrays, cumulative distance, gaps and parsed stops of one track (done once per load). */
export function prepareTrack(track: Track, { index, origin, gapSeconds = GAP_SECONDS }: PrepareOptions): PreparedTrack {
  // Vertices in time order (the server sends them so; a defensive sort costs nothing here).
  const path = [...track.path].sort((a, b) => a[2] - b[2]);
  const n = path.length;
  const times = new Float64Array(n);
  const lons = new Float64Array(n);
  const lats = new Float64Array(n);
  const cum = new Float64Array(n);
  const relTimes = new Float32Array(n);
  const coordinates: Array<[number, number]> = new Array(n);
  for (let i = 0; i < n; i++) {
    const [lon, lat, t] = path[i];
    times[i] = t;
    lons[i] = lon;
    lats[i] = lat;
    relTimes[i] = t - origin / 1000;
    coordinates[i] = [lon, lat];
    if (i > 0) cum[i] = cum[i - 1] + haversineM(lons[i - 1], lats[i - 1], lon, lat);
  }
  const stops: PreparedStop[] = track.stops
    .map((s) => ({ ...s, workerId: track.workerId, fromMs: Date.parse(s.from), toMs: Date.parse(s.to), trackIndex: index }))
    .filter((s) => Number.isFinite(s.fromMs) && Number.isFinite(s.toMs))
    .sort((a, b) => a.fromMs - b.fromMs);
  const gapAfter = new Uint8Array(Math.max(0, n - 1));
  for (let i = 0; i + 1 < n; i++) {
    const a = times[i] * 1000;
    const b = times[i + 1] * 1000;
    if (b - a <= gapSeconds * 1000) continue;
    // Long without a vertex: a gap unless stops explain it (standing still, the path simplified).
    if (b - a - stoppedWithin(stops, a, b) > gapSeconds * 1000) gapAfter[i] = 1;
  }
  return {
    workerId: track.workerId,
    name: track.name,
    gridId: track.gridId,
    index,
    times,
    lons,
    lats,
    cum,
    gapAfter,
    coordinates,
    relTimes,
    origin,
    stops,
    startMs: n ? times[0] * 1000 : NaN,
    endMs: n ? times[n - 1] * 1000 : NaN,
    points: track.points,
    distanceM: Number(track.distanceM) || 0,
    stopMinutes: stops.reduce((sum, s) => sum + (Number(s.minutes) || 0), 0),
  };
}

/** Index of the last vertex with time ≤ t (seconds), or -1 when t is before the first. */
export function segmentIndex(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0 || t < times[0]) return -1;
  if (t >= times[hi]) return hi;
  // invariant: times[lo] ≤ t < times[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Is the worker inside one of its stops at t (ms)? Stops are sorted by start. */
export function stopAt(stops: readonly PreparedStop[], tMs: number): PreparedStop | null {
  let lo = 0;
  let hi = stops.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (stops[mid].fromMs <= tMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && tMs <= stops[found].toMs ? stops[found] : null;
}

/** Milliseconds of [a, b] inside stops (stops sorted by start, not overlapping each other). */
export function stoppedWithin(stops: readonly PreparedStop[], a: number, b: number): number {
  let sum = 0;
  for (const s of stops) {
    if (s.fromMs >= b) break;
    const lo = Math.max(a, s.fromMs);
    const hi = Math.min(b, s.toMs);
    if (hi > lo) sum += hi - lo;
  }
  return sum;
}

/**
 * How far along a segment [a, b] the worker is at t, counting only the time outside stops: the
 * marker stands still during a stop and covers the segment in the moving time (a simplified path
 * can put a stop and a walk into one segment).
 */
export function movingFraction(stops: readonly PreparedStop[], a: number, b: number, t: number): number {
  if (b <= a) return 0;
  const total = b - a - stoppedWithin(stops, a, b);
  if (total <= 0) return (t - a) / (b - a);
  return Math.min(1, Math.max(0, (t - a - stoppedWithin(stops, a, t)) / total));
}

/** Scales the length along the simplified path to the server's distance of the full line. */
function travelled(track: PreparedTrack, along: number): number {
  const total = track.cum.length ? track.cum[track.cum.length - 1] : 0;
  if (total <= 0) return 0;
  return (along / total) * track.distanceM;
}

/**
 * Position of the worker at time `tMs` (epoch ms):
 * - before the first vertex: at the first vertex, state `before` (not drawn);
 * - between two vertices: linear interpolation over the time outside stops, state `active` (or
 *   `stopped` inside a stop, where the marker stands still);
 * - inside a gap (a long segment that is no stop): at the segment's start, state `gap`;
 * - after the last vertex: at the last vertex, state `after`.
 */
export function positionAt(track: PreparedTrack, tMs: number): MarkerPosition {
  const n = track.times.length;
  if (n === 0) return { lon: NaN, lat: NaN, state: 'before', travelledM: 0 };
  const t = tMs / 1000;
  const i = segmentIndex(track.times, t);
  if (i < 0) return { lon: track.lons[0], lat: track.lats[0], state: 'before', travelledM: 0 };
  if (i === n - 1) {
    const state = t > track.times[n - 1] ? 'after' : stopAt(track.stops, tMs) ? 'stopped' : 'active';
    return { lon: track.lons[i], lat: track.lats[i], state, travelledM: travelled(track, track.cum[i]) };
  }
  if (track.gapAfter[i]) {
    return { lon: track.lons[i], lat: track.lats[i], state: 'gap', travelledM: travelled(track, track.cum[i]) };
  }
  const f = movingFraction(track.stops, track.times[i] * 1000, track.times[i + 1] * 1000, tMs);
  return {
    lon: track.lons[i] + (track.lons[i + 1] - track.lons[i]) * f,
    lat: track.lats[i] + (track.lats[i + 1] - track.lats[i]) * f,
    state: stopAt(track.stops, tMs) ? 'stopped' : 'active',
    travelledM: travelled(track, track.cum[i] + (track.cum[i + 1] - track.cum[i]) * f),
  };
}

/** Positions of all tracks at one time (the replay's frame), aligned with `tracks`. */
export function positionsAt(tracks: readonly PreparedTrack[], tMs: number): MarkerPosition[] {
  return tracks.map((track) => positionAt(track, tMs));
}

/** [minLon, minLat, maxLon, maxLat] of all vertices, or null. */
export function tracksBBox(tracks: readonly PreparedTrack[]): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const t of tracks) {
    for (let i = 0; i < t.lons.length; i++) {
      const x = t.lons[i];
      const y = t.lats[i];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}
