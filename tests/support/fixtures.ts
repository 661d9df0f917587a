// Small lookups on the seeded database that several tests need.
import type pg from 'pg';
import { issueDeviceKeys } from '../../server/domain/devices.js';

export interface TestWorker {
  id: number; deviceId: string; gridId: number; lon: number; lat: number; township: string;
  /** the device's key (issued for the test, as an administrator would) */
  key: string;
}

/** Fresh keys for these devices (their old keys stop working), as an administrator issues them. */
export async function deviceKeys(pool: pg.Pool, deviceIds: string[]): Promise<Map<string, string>> {
  const issued = await issueDeviceKeys(pool, deviceIds, { userId: null, name: 'test' });
  return new Map(issued.map((k) => [k.deviceId, k.key]));
}

/** The header that proves a device (POST /api/positions, /osmand). */
export const deviceHeaders = (w: { key: string }) => ({ 'x-device-key': w.key });

/** Workers with their device (and a fresh key for it) and a point inside their assigned grid; different grids each. */
export async function workersWithPoints(pool: pg.Pool, n: number, offset = 0): Promise<TestWorker[]> {
  const { rows } = await pool.query(`
    SELECT DISTINCT ON (w.grid_id) w.id, w.device_id AS "deviceId", w.grid_id AS "gridId",
           ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat, t.code AS township
    FROM workers w JOIN grids g ON g.id = w.grid_id JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
    WHERE w.device_id IS NOT NULL AND w.active
    ORDER BY w.grid_id, w.id OFFSET $2 LIMIT $1`, [n, offset]);
  const keys = await deviceKeys(pool, rows.map((r) => r.deviceId));
  return rows.map((r) => ({ ...r, key: keys.get(r.deviceId)! }));
}

/** A point inside some other grid than `gridId`, far enough to be outside it. */
export async function pointOutside(pool: pg.Pool, gridId: number): Promise<{ lon: number; lat: number; gridId: number }> {
  const { rows: [r] } = await pool.query(`
    SELECT o.id AS "gridId", ST_X(ST_PointOnSurface(o.geom)) AS lon, ST_Y(ST_PointOnSurface(o.geom)) AS lat
    FROM grids g JOIN grids o ON o.id <> g.id AND ST_DWithin(o.geom, g.geom, 0.02) AND NOT ST_Intersects(o.geom, g.geom)
    WHERE g.id = $1 ORDER BY o.id LIMIT 1`, [gridId]);
  return r;
}

/** Forgets everything these workers reported, so a test starts from a clean patrol history. */
export async function resetPatrols(pool: pg.Pool, workerIds: number[]): Promise<void> {
  for (const table of ['positions', 'worker_status', 'worker_events', 'patrol_visits']) {
    await pool.query(`DELETE FROM ${table} WHERE worker_id = ANY($1::int[])`, [workerIds]);
  }
}
