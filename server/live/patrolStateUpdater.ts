// Worker state from the positions the writer stored: latest status, patrol visits and events,
// committed in batches off the acknowledgement path (see positionWriter.ts).
import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { advance, DEFAULT_RULES, type PatrolRules, type Status } from '../domain/patrolState.js';
import type { WorkerState } from '../schemas/positions.js';
import { numberArray, type StatusUpdate, type WorkerEvent, type WorkerFix } from './positionWriter.js';

export interface CommitListener { (updates: StatusUpdate[], events: WorkerEvent[]): void }

/**
 * Derives worker state from the positions just stored, in one transaction per tick for all of them:
 * latest status (locked per worker, so several server processes agree), patrol visits and events.
 * Then tells the live hub. Off the acknowledgement path: ingest speed does not depend on it.
 */
export class PatrolStateUpdater {
  private pending: WorkerFix[] = [];
  private running: Promise<void> | null = null;
  private listeners: CommitListener[] = [];

  constructor(private pool: pg.Pool, private opts: { timezone: string; rules?: PatrolRules }) {}

  onCommit(fn: CommitListener) { this.listeners.push(fn); }

  add(fresh: WorkerFix[]) { for (const f of fresh) this.pending.push(f); }

  get backlog(): number { return this.pending.length; }

  /** Applies everything pending (one run at a time); resolves when done. */
  flush(): Promise<void> {
    if (this.running) return this.running.then(() => (this.pending.length ? this.flush() : undefined));
    if (!this.pending.length) return Promise.resolve();
    const batch = this.pending;
    this.pending = [];
    this.running = this.apply(batch).finally(() => { this.running = null; });
    return this.running;
  }

  private async apply(fresh: WorkerFix[]) {
    let result: { updates: StatusUpdate[]; events: WorkerEvent[] };
    try {
      result = await withTransaction(this.pool, (client) => this.updateState(client, fresh));
    } catch (err) {
      // Put them back: a later tick retries (the positions themselves are already safe).
      this.pending = fresh.concat(this.pending);
      throw err;
    }
    if (result.updates.length || result.events.length) for (const fn of this.listeners) fn(result.updates, result.events);
  }

  /** (worker, grid) → the time last written by this process; keeps visit writes rare. */
  private visitSeen = new Map<number, number>();

  /**
   * Fixes worth writing to patrol_visits: the first in a (worker, grid) this process has not written
   * within the last minute, and any fix earlier than what was written (late, buffered reports).
   */
  private visitsToWrite(fresh: WorkerFix[]): WorkerFix[] {
    const out: WorkerFix[] = [];
    if (this.visitSeen.size > 50_000) this.visitSeen.clear();
    for (const f of fresh) {
      if (f.gridId === null) continue;
      // a number key (ids are far below 2^26): no string built per fix
      const key = f.workerId * 67_108_864 + f.gridId;
      const t = f.time.getTime();
      const last = this.visitSeen.get(key);
      if (last !== undefined && t >= last && t - last < 60_000) continue;
      if (last !== undefined && t < last - 60_000) { out.push(f); continue; }
      this.visitSeen.set(key, t);
      out.push(f);
    }
    return out;
  }

  /**
   * The status rows as this process last read or wrote them, with their row version (xmin). Each
   * run locks the rows and reads only their versions; a row changed elsewhere (another server, the
   * offline sweeper, a reset) has another version and is read again in full.
   */
  private known = new Map<number, { version: string; status: Status }>();

  /** Locks the status rows of these workers (in id order) and returns the current status of each. */
  private async lockStatuses(client: pg.PoolClient, ids: number[]): Promise<Map<number, Status>> {
    const { rows: versions } = await client.query<{ worker_id: number; v: string }>(
      'SELECT worker_id, xmin::text AS v FROM worker_status WHERE worker_id = ANY($1::int[]) ORDER BY worker_id FOR UPDATE', [numberArray(ids)]);
    if (this.known.size > 1_000_000) this.known.clear();
    const out = new Map<number, Status>();
    const stale: number[] = [];
    for (const { worker_id: id, v } of versions) {
      const k = this.known.get(id);
      if (k && k.version === v) out.set(id, k.status); else stale.push(id);
    }
    if (stale.length) {
      const { rows } = await client.query(`
        SELECT worker_id, xmin::text AS v, (extract(epoch FROM ts) * 1000)::float8 AS ts, ST_X(geom) AS lon, ST_Y(geom) AS lat,
               speed, heading, accuracy, battery, state, (extract(epoch FROM state_since) * 1000)::float8 AS state_since, grid_id,
               (extract(epoch FROM outside_since) * 1000)::float8 AS outside_since
        FROM worker_status WHERE worker_id = ANY($1::int[])`, [numberArray(stale)]);
      for (const r of rows) {
        const status: Status = {
          ts: new Date(r.ts), lon: r.lon, lat: r.lat, speed: r.speed, heading: r.heading, accuracy: r.accuracy, battery: r.battery,
          state: r.state as WorkerState, stateSince: new Date(r.state_since), gridId: r.grid_id,
          outsideSince: r.outside_since === null ? null : new Date(r.outside_since),
        };
        out.set(r.worker_id, status);
        this.known.set(r.worker_id, { version: r.v, status });
      }
    }
    return out;
  }

  private async updateState(client: pg.PoolClient, fresh: WorkerFix[]) {
    const byWorker = new Map<number, WorkerFix[]>();
    for (const f of fresh) {
      const list = byWorker.get(f.workerId);
      if (list) list.push(f); else byWorker.set(f.workerId, [f]);
    }
    const prev = await this.lockStatuses(client, [...byWorker.keys()].sort((a, b) => a - b));
    const updates: StatusUpdate[] = [];
    const events: WorkerEvent[] = [];
    const rules = this.opts.rules ?? DEFAULT_RULES;
    for (const [workerId, list] of byWorker) {
      const assigned = list[0].assignedGridId;
      const r = advance(prev.get(workerId) ?? null, list, assigned, rules);
      if (r.status) updates.push({ ...r.status, workerId, assignedGridId: assigned });
      for (const e of r.events) events.push({ ...e, workerId });
    }
    if (updates.length) {
      const { rows: written } = await client.query<{ worker_id: number; v: string }>(`
        INSERT INTO worker_status (worker_id, ts, geom, speed, heading, accuracy, battery, state, state_since, grid_id, outside_since, updated_at)
        SELECT w, to_timestamp(t / 1000), ST_SetSRID(ST_MakePoint(x, y), 4326), s, h, a, b, st, to_timestamp(ss / 1000), g, to_timestamp(os / 1000), clock_timestamp()
        FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[], $6::real[], $7::real[], $8::real[],
                    $9::text[], $10::float8[], $11::int[], $12::float8[]) AS u(w, t, x, y, s, h, a, b, st, ss, g, os)
        ON CONFLICT (worker_id) DO UPDATE SET ts = excluded.ts, geom = excluded.geom, speed = excluded.speed,
          heading = excluded.heading, accuracy = excluded.accuracy, battery = excluded.battery, state = excluded.state,
          state_since = excluded.state_since, grid_id = excluded.grid_id, outside_since = excluded.outside_since,
          updated_at = excluded.updated_at
        WHERE excluded.ts > worker_status.ts
        RETURNING worker_id, xmin::text AS v`,
      [numberArray(updates, (u) => u.workerId), numberArray(updates, (u) => u.ts.getTime()), numberArray(updates, (u) => u.lon),
        numberArray(updates, (u) => u.lat), numberArray(updates, (u) => u.speed), numberArray(updates, (u) => u.heading),
        numberArray(updates, (u) => u.accuracy), numberArray(updates, (u) => u.battery),
        updates.map((u) => u.state), numberArray(updates, (u) => u.stateSince.getTime()), numberArray(updates, (u) => u.gridId),
        numberArray(updates, (u) => u.outsideSince?.getTime() ?? null)]);
      // each update is a whole status: the row as written, kept for the next run
      const byId = new Map(updates.map((u) => [u.workerId, u]));
      for (const { worker_id: id, v } of written) this.known.set(id, { version: v, status: byId.get(id)! });
    }
    const visits = this.visitsToWrite(fresh);
    if (visits.length) {
      await client.query(`
        INSERT INTO patrol_visits (day, worker_id, grid_id, first_ts, last_ts)
        SELECT (to_timestamp(t / 1000) AT TIME ZONE $4)::date, w, g, to_timestamp(min(t) / 1000), to_timestamp(max(t) / 1000)
        FROM unnest($1::int[], $2::float8[], $3::int[]) AS u(w, t, g)
        GROUP BY 1, 2, 3 ORDER BY 2, 3, 1
        ON CONFLICT (day, grid_id, worker_id) DO UPDATE SET first_ts = least(patrol_visits.first_ts, excluded.first_ts),
          last_ts = greatest(patrol_visits.last_ts, excluded.last_ts)`,
      [numberArray(visits, (f) => f.workerId), numberArray(visits, (f) => f.time.getTime()), numberArray(visits, (f) => f.gridId), this.opts.timezone]);
    }
    if (events.length) {
      await client.query(`
        INSERT INTO worker_events (worker_id, ts, kind, grid_id, geom)
        SELECT w, t, k, g, ST_SetSRID(ST_MakePoint(x, y), 4326)
        FROM unnest($1::int[], $2::timestamptz[], $3::text[], $4::int[], $5::float8[], $6::float8[]) AS u(w, t, k, g, x, y)`,
      [events.map((e) => e.workerId), events.map((e) => e.ts), events.map((e) => e.kind), events.map((e) => e.gridId),
        events.map((e) => e.lon), events.map((e) => e.lat)]);
    }
    return { updates, events };
  }
}
