// Position retention as the server runs it: on start (and every hour after) the live plugin creates
// the daily partitions ahead and drops those older than the retention, whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { openDatabase, type Database } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { ensurePositionPartitions } from '../../server/db/partitions.js';
import { loadConfig } from '../../server/config.js';
import { createDatabase } from '../support/db.js';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY);
const nameOf = (d: Date) => `positions_${d.toISOString().slice(0, 10).replace(/-/g, '')}`;

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ databaseUrl: await createDatabase('gridcc_fault_retention', { fresh: true }), dataDir: '' });
  await migrate(db.pool);
});
afterAll(async () => {
  await db?.close();
});

async function partitions(): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>(`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'positions'::regclass ORDER BY 1`);
  return rows.map((r) => r.name);
}

describe('position retention', () => {
  it('defaults to 180 days', () => {
    expect(loadConfig({}).positionRetentionDays).toBe(180);
    expect(loadConfig({ POSITION_RETENTION_DAYS: '30' }).positionRetentionDays).toBe(30);
    expect(() => loadConfig({ POSITION_RETENTION_DAYS: 'forever' })).toThrow(/POSITION_RETENTION_DAYS/);
  });

  it('a query over a time window reads only the partitions of its days', async () => {
    await ensurePositionPartitions(db.pool, 3, 1);
    // an hour of yesterday (UTC, as the partitions are cut), with the parameters the track query takes
    const from = new Date(Date.UTC(day(-1).getUTCFullYear(), day(-1).getUTCMonth(), day(-1).getUTCDate(), 2));
    const to = new Date(from.getTime() + 3_600_000);
    const plan = async (a: Date, b: Date) => {
      const { rows: [r] } = await db.pool.query(`EXPLAIN (FORMAT JSON) SELECT worker_id, ts FROM positions WHERE worker_id = ANY($1::int[]) AND ts >= $2 AND ts < $3`, [[1, 2], a, b]);
      return [...new Set(JSON.stringify(r['QUERY PLAN']).match(/positions_\d{8}/g) ?? [])];
    };
    expect(await plan(from, to)).toEqual([nameOf(from)]);
    // two days' window: two partitions, of all there are
    expect((await plan(new Date(from.getTime() - DAY), to)).sort()).toEqual([nameOf(new Date(from.getTime() - DAY)), nameOf(from)]);
    expect((await partitions()).length).toBeGreaterThan(4);
  });

  it('the server drops partitions older than the retention, keeps newer ones and creates the days ahead', async () => {
    // Partitions left from 40 and 20 days ago, with a position in each.
    for (const offset of [-40, -20]) {
      await ensurePositionPartitions(db.pool, 0, 0, day(offset));
      await db.pool.query(`INSERT INTO positions (worker_id, ts, geom) VALUES (1, $1, ST_SetSRID(ST_MakePoint(118.7, 34.5), 4326))`, [day(offset)]);
    }
    const old = nameOf(day(-40));
    const kept = nameOf(day(-20));
    expect(await partitions()).toEqual(expect.arrayContaining([old, kept]));

    const app = await buildApp({ db, live: { retentionDays: 30 } });
    try {
      const now = await partitions();
      expect(now).not.toContain(old);
      expect(now).toContain(kept);
      for (let d = 0; d <= 7; d++) expect(now).toContain(nameOf(day(d)));
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM positions WHERE ts < now() - interval '30 days'`);
      expect(rows[0].n).toBe(0);
      const { rows: [k] } = await db.pool.query(`SELECT count(*)::int AS n FROM ${kept}`);
      expect(k.n).toBe(1);
    } finally {
      await app.close();
    }
  });
});
