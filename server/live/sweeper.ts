// Marks workers offline when their reports stop, and keeps position partitions ahead of time and
// within retention. Safe with several server processes: each row is claimed by one UPDATE.
import type pg from 'pg';
import type { StatusUpdate, WorkerEvent } from './positionWriter.js';

export async function sweepOffline(pool: pg.Pool, offlineAfterMs: number): Promise<{ updates: StatusUpdate[]; events: WorkerEvent[] }> {
  const { rows } = await pool.query(`
    WITH gone AS (
      UPDATE worker_status s SET state = 'offline', state_since = now(), updated_at = clock_timestamp()
      FROM workers w
      WHERE w.id = s.worker_id AND s.state <> 'offline' AND s.ts < now() - make_interval(secs => $1)
      RETURNING s.*, w.grid_id AS assigned
    ), ev AS (
      INSERT INTO worker_events (worker_id, ts, kind, grid_id, geom)
      SELECT worker_id, now(), 'offline', grid_id, geom FROM gone
    )
    SELECT worker_id, ts, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed, heading, accuracy, battery, state, state_since,
           grid_id, outside_since, assigned, now() AS at FROM gone`, [offlineAfterMs / 1000]);
  const updates: StatusUpdate[] = rows.map((r) => ({
    workerId: r.worker_id, assignedGridId: r.assigned, ts: r.ts, lon: r.lon, lat: r.lat, speed: r.speed, heading: r.heading,
    accuracy: r.accuracy, battery: r.battery, state: 'offline', stateSince: r.state_since, gridId: r.grid_id, outsideSince: r.outside_since,
  }));
  const events: WorkerEvent[] = rows.map((r) => ({ workerId: r.worker_id, kind: 'offline', ts: r.at, gridId: r.grid_id, lon: r.lon, lat: r.lat }));
  return { updates, events };
}
