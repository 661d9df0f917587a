// Group commit of positions: requests queue their fixes; whenever a writer connection is free, all
// pending fixes go to PostgreSQL in one multi-row INSERT. Each request is answered only after the
// transaction holding its fixes committed, so nothing acknowledged can be lost; many small requests
// share one commit. The positions newly stored are then handed to the PatrolStateUpdater, which
// derives the latest status, patrol visits and events in batches off the acknowledgement path.
import type pg from 'pg';
import type { PatrolEvent, Status } from '../domain/patrolState.js';
import type { CleanPosition } from '../domain/positionRules.js';

export interface WorkerFix extends CleanPosition { workerId: number; assignedGridId: number; gridId: number | null }

export interface StatusUpdate extends Status { workerId: number; assignedGridId: number }
export interface WorkerEvent extends PatrolEvent { workerId: number }

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
