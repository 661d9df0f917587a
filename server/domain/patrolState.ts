// Worker state from successive positions: patrolling (moving) / idle / outside its assigned grid
// (for longer than a grace period) / offline (set by the sweeper when reports stop), and the events
// a change produces. Pure: the writer feeds it the stored status and the new positions.
import type { WorkerState } from '../schemas/positions.js';

export interface PatrolRules {
  /** Below this speed (m/s) a worker is idle. */
  movingSpeed: number;
  /** Outside the assigned grid for this long → state "outside". */
  outsideAfterMs: number;
  /** No report for this long → "offline". */
  offlineAfterMs: number;
}

export const DEFAULT_RULES: PatrolRules = { movingSpeed: 0.5, outsideAfterMs: 10 * 60_000, offlineAfterMs: 10 * 60_000 };

export interface Status {
  ts: Date;
  lon: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  battery: number | null;
  state: WorkerState;
  stateSince: Date;
  gridId: number | null;
  outsideSince: Date | null;
}

export interface Fix {
  time: Date; lon: number; lat: number;
  speed: number | null; heading: number | null; accuracy: number | null; battery: number | null;
  /** Grid containing the fix (null outside every grid). */
  gridId: number | null;
}

export type EventKind = 'grid_enter' | 'grid_exit' | 'offline' | 'online' | 'left_assigned_grid' | 'returned_to_grid';
export interface PatrolEvent { kind: EventKind; ts: Date; gridId: number | null; lon: number; lat: number }

/** Metres between two WGS84 points (equirectangular: fine at patrol distances). */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = Math.PI / 180;
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k);
  const y = (lat2 - lat1) * k;
  return Math.sqrt(x * x + y * y) * 6_371_008.8;
}

/** The fixes in time order: the list itself when it already is (the usual case), else a sorted copy. */
function inTimeOrder<F extends Fix>(fixes: F[]): F[] {
  for (let i = 1; i < fixes.length; i++) {
    if (fixes[i].time.getTime() < fixes[i - 1].time.getTime()) return [...fixes].sort((a, b) => a.time.getTime() - b.time.getTime());
  }
  return fixes;
}

/**
 * Applies fixes (any order; older than the stored status are ignored for state) to a status.
 * Returns the new status (null if nothing newer) and the events, in time order.
 */
export function advance(prev: Status | null, fixes: Fix[], assignedGridId: number, rules: PatrolRules = DEFAULT_RULES): { status: Status | null; events: PatrolEvent[] } {
  const events: PatrolEvent[] = [];
  const ev = (kind: EventKind, f: Fix, gridId: number | null) => { events.push({ kind, ts: f.time, gridId, lon: f.lon, lat: f.lat }); };
  let cur = prev;
  let changed = false;
  for (const f of inTimeOrder(fixes)) {
    const t = f.time.getTime();
    if (cur && t <= cur.ts.getTime()) continue;
    let speed = f.speed;
    if (speed === null && cur) {
      const dt = (t - cur.ts.getTime()) / 1000;
      speed = dt > 0 && dt < 600 ? distanceM(cur.lon, cur.lat, f.lon, f.lat) / dt : null;
    }
    if (cur?.state === 'offline' || !cur) ev('online', f, f.gridId);
    if (cur && cur.gridId !== f.gridId) {
      if (cur.gridId !== null) ev('grid_exit', f, cur.gridId);
      if (f.gridId !== null) ev('grid_enter', f, f.gridId);
    } else if (!cur && f.gridId !== null) {
      ev('grid_enter', f, f.gridId);
    }
    const inside = f.gridId === assignedGridId;
    const outsideSince = inside ? null : (cur?.outsideSince ?? f.time);
    const outside = !inside && t - outsideSince!.getTime() >= rules.outsideAfterMs;
    const state: WorkerState = outside ? 'outside' : (speed ?? 0) >= rules.movingSpeed ? 'patrolling' : 'idle';
    if (outside && cur?.state !== 'outside') ev('left_assigned_grid', f, f.gridId);
    if (!outside && cur?.state === 'outside') ev('returned_to_grid', f, f.gridId);
    cur = {
      ts: f.time, lon: f.lon, lat: f.lat, speed: f.speed ?? (speed === null ? null : Math.round(speed * 100) / 100),
      heading: f.heading, accuracy: f.accuracy, battery: f.battery,
      state, stateSince: cur && cur.state === state ? cur.stateSince : f.time,
      gridId: f.gridId, outsideSince,
    };
    changed = true;
  }
  return { status: changed ? cur : null, events };
}
