// Daily partitions of `positions`, created ahead of time so ingest never meets a missing partition.
import type pg from 'pg';
import { withTransaction } from './pool.js';

const DAY_MS = 86_400_000;

function dayName(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Creates the partitions for `daysBack` days before today up to `daysAhead` days after (UTC days). */
export async function ensurePositionPartitions(pool: pg.Pool, daysBack = 1, daysAhead = 7, now = new Date()): Promise<string[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const created: string[] = [];
  for (let i = -daysBack; i <= daysAhead; i++) {
    const from = new Date(today + i * DAY_MS);
    const to = new Date(today + (i + 1) * DAY_MS);
    const name = `positions_${dayName(from)}`;
    // Identifiers cannot be parameters; the name is built from a date only.
    const { rowCount } = await pool.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [name]);
    if (rowCount) continue;
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF positions FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    created.push(name);
  }
  return created;
}

/** Drops whole daily partitions older than `retentionDays` (cheap: no row-by-row delete). */
export async function dropOldPositionPartitions(pool: pg.Pool, retentionDays: number, now = new Date()): Promise<string[]> {
  const cutoff = dayName(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - retentionDays * DAY_MS));
  const { rows } = await pool.query<{ name: string }>(`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'positions'::regclass AND c.relname ~ '^positions_\\d{8}$' ORDER BY 1`);
  const dropped: string[] = [];
  for (const { name } of rows) {
    if (name.slice('positions_'.length) >= cutoff) continue;
    // Dropping a partition locks the whole table: give up after a moment rather than queue every
    // insert behind a long read (a replay); the next run tries again.
    const done = await withTransaction(pool, async (c) => {
      await c.query(`SET LOCAL lock_timeout = '5s'`);
      await c.query(`DROP TABLE ${name}`);
      return true;
    }).catch((err) => { if ((err as { code?: string }).code === '55P03') return false; throw err; });
    if (done) dropped.push(name);
  }
  return dropped;
}
