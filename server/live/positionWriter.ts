// Group commit of positions: requests queue their fixes; whenever a writer connection is free, all
// pending fixes go to PostgreSQL in one multi-row INSERT. Each request is answered only after the
// transaction holding its fixes committed, so nothing acknowledged can be lost; many small requests
// share one commit. The positions newly stored are then handed to the PatrolStateUpdater, which
// derives the latest status, patrol visits and events in batches off the acknowledgement path.
import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { advance, DEFAULT_RULES, type PatrolEvent, type PatrolRules, type Status } from '../domain/patrolState.js';
import type { CleanPosition } from '../domain/positionRules.js';
import type { WorkerState } from '../schemas/positions.js';

export interface WorkerFix extends CleanPosition { workerId: number; assignedGridId: number; gridId: number | null }

export interface StatusUpdate extends Status { workerId: number; assignedGridId: number }
export interface WorkerEvent extends PatrolEvent { workerId: number }

export interface CommitListener { (updates: StatusUpdate[], events: WorkerEvent[]): void }
export interface StoredListener { (fresh: WorkerFix[]): void }

interface Job { fixes: WorkerFix[]; resolve: (stored: boolean[]) => void; reject: (err: unknown) => void }

const MAX_ROWS_PER_COMMIT = 5000;
/**
 * A second (third…) commit starts alongside a running one only for a backlog at least this large.
 * Under many one-position requests (OsmAnd), small commits one after another cost PostgreSQL far
 * less than as many in parallel, and answer as fast; big batches still commit in parallel.
 */
const MIN_ROWS_FOR_ANOTHER_COMMIT = 100;

/**
 * A PostgreSQL array literal of numbers (null, NaN and missing as NULL), optionally of one field of
 * each item. pg's generic array encoder quotes and escapes every element; for thousands of numbers
 * per commit that was a large share of the ingest CPU time.
 */
export function numberArray(values: ReadonlyArray<number | null | undefined>): string;
export function numberArray<T>(items: ReadonlyArray<T>, field: (item: T) => number | null | undefined): string;
export function numberArray<T>(items: ReadonlyArray<T>, field?: (item: T) => number | null | undefined): string {
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    const v = field ? field(items[i]) : items[i] as number | null | undefined;
    if (i) out += ',';
    out += typeof v === 'number' && Number.isFinite(v) ? v : 'NULL';
  }
  return out + '}';
}

export class PositionWriter {
  private queue: Job[] = [];
  /** Fixes waiting in the queue. */
  private queuedRows = 0;
  private active = 0;
  private listeners: StoredListener[] = [];
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  /**
   * writers: commits at most in parallel. prepared: the insert is a named (server-side prepared)
   * statement, planned once per connection instead of at every commit; off for PGlite, whose
   * connections share one session.
   */
  constructor(private pool: pg.Pool, private opts: { writers: number; prepared: boolean }) {}

  /** Called with the fixes newly stored by each commit. */
  onStored(fn: StoredListener) { this.listeners.push(fn); }

  /** Resolves after commit with, per fix, true if stored now, false if it was a duplicate. */
  submit(fixes: WorkerFix[]): Promise<boolean[]> {
    if (this.closed) return Promise.reject(Object.assign(new Error('shutting down'), { statusCode: 503 }));
    if (!fixes.length) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ fixes, resolve, reject });
      this.queuedRows += fixes.length;
      this.pump();
    });
  }

  get pending(): number { return this.queue.length; }

  /** Stops taking new fixes and waits until everything queued is committed. */
  async drain(): Promise<void> {
    this.closed = true;
    if (!this.queue.length && !this.active) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private pump() {
    while (this.active < this.opts.writers && this.queue.length) {
      if (this.active > 0 && this.queuedRows < MIN_ROWS_FOR_ANOTHER_COMMIT) return;
      const jobs: Job[] = [];
      let rows = 0;
      while (this.queue.length && (rows === 0 || rows + this.queue[0].fixes.length <= MAX_ROWS_PER_COMMIT)) {
        const job = this.queue.shift()!;
        jobs.push(job);
        rows += job.fixes.length;
      }
      this.queuedRows -= rows;
      this.active++;
      this.write(jobs)
        .then((stored) => jobs.forEach((j, i) => j.resolve(stored[i])), (err) => jobs.forEach((j) => j.reject(err)))
        .finally(() => {
          this.active--;
          if (this.queue.length) this.pump();
          else if (!this.active) this.idleWaiters.splice(0).forEach((r) => r());
        });
    }
  }

  private async write(jobs: Job[]): Promise<boolean[][]> {
    // Sorted: concurrent writers take the key locks of duplicates in one order (no deadlocks). The
    // sort is stable, so of two identical fixes in one commit the first sent is the one stored.
    const all = jobs.flatMap((j) => j.fixes).sort((a, b) => a.workerId - b.workerId || a.time.getTime() - b.time.getTime());
    const notStored = new Set<WorkerFix>();
    const unique: WorkerFix[] = [];
    for (const f of all) {
      const prev = unique[unique.length - 1];
      if (prev && prev.workerId === f.workerId && prev.time.getTime() === f.time.getTime()) notStored.add(f);
      else unique.push(f);
    }
    // One statement (it commits on its own: no BEGIN/COMMIT round trips) that answers only with the
    // fixes already stored before: usually none, so nothing comes back to parse.
    const { rows } = await this.pool.query<{ n: string }>({ name: this.opts.prepared ? 'positions-insert' : undefined, text: `
      WITH src AS (
        SELECT w, to_timestamp(t / 1000) AS ts, x, y, s, h, a, b, n
        FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[], $6::real[], $7::real[], $8::real[])
          WITH ORDINALITY AS u(w, t, x, y, s, h, a, b, n)
      ), ins AS (
        INSERT INTO positions (worker_id, ts, geom, speed, heading, accuracy, battery)
        SELECT w, ts, ST_SetSRID(ST_MakePoint(x, y), 4326), s, h, a, b FROM src
        ON CONFLICT DO NOTHING
        RETURNING worker_id, ts
      )
      SELECT n FROM src WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.worker_id = src.w AND ins.ts = src.ts)`,
    // times as epoch milliseconds: far cheaper to send than formatted dates
    values: [numberArray(unique, (f) => f.workerId), numberArray(unique, (f) => f.time.getTime()), numberArray(unique, (f) => f.lon),
      numberArray(unique, (f) => f.lat), numberArray(unique, (f) => f.speed), numberArray(unique, (f) => f.heading),
      numberArray(unique, (f) => f.accuracy), numberArray(unique, (f) => f.battery)] });
    for (const r of rows) notStored.add(unique[Number(r.n) - 1]);
    const fresh = notStored.size ? unique.filter((f) => !notStored.has(f)) : unique;
    if (fresh.length) for (const fn of this.listeners) fn(fresh);
    return jobs.map((j) => j.fixes.map((f) => !notStored.has(f)));
  }
}

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
      [numberArray(updates.map((u) => u.workerId)), numberArray(updates.map((u) => u.ts.getTime())), numberArray(updates.map((u) => u.lon)),
        numberArray(updates.map((u) => u.lat)), numberArray(updates.map((u) => u.speed)), numberArray(updates.map((u) => u.heading)),
        numberArray(updates.map((u) => u.accuracy)), numberArray(updates.map((u) => u.battery)),
        updates.map((u) => u.state), numberArray(updates.map((u) => u.stateSince.getTime())), numberArray(updates.map((u) => u.gridId)),
        numberArray(updates.map((u) => u.outsideSince?.getTime() ?? null))]);
      const byId = new Map(updates.map((u) => [u.workerId, u]));
      for (const { worker_id: id, v } of written) {
        const u = byId.get(id)!;
        this.known.set(id, { version: v, status: { ts: u.ts, lon: u.lon, lat: u.lat, speed: u.speed, heading: u.heading, accuracy: u.accuracy,
          battery: u.battery, state: u.state, stateSince: u.stateSince, gridId: u.gridId, outsideSince: u.outsideSince } });
      }
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
      [numberArray(visits.map((f) => f.workerId)), numberArray(visits.map((f) => f.time.getTime())), numberArray(visits.map((f) => f.gridId)), this.opts.timezone]);
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
