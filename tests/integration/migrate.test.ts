import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../server/db/pool.js';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../server/db/migrate.js';
import { ensurePositionPartitions } from '../../server/db/partitions.js';
import { createDatabase } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ databaseUrl: await createDatabase('gridcc_migrate_test', { fresh: true }), dataDir: '' });
});
afterAll(async () => { await db?.close(); });

describe('migrations', () => {
  it('apply each once, in order, recorded with checksums', async () => {
    const all = await readMigrations();
    expect(await migrate(db.pool)).toEqual(all.map((m) => m.name));
    expect(await migrate(db.pool)).toEqual([]);
    const { rows } = await db.pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.name)).toEqual(all.map((m) => m.name));
  });

  it('creates every table with SRID 4326 geometries and GiST indexes (positions: key and partitions only)', async () => {
    const { rows } = await db.pool.query(`SELECT f_table_name AS t, f_geometry_column AS c, srid FROM geometry_columns WHERE f_table_schema = 'public'`);
    const tables = new Set(rows.map((r) => r.t));
    for (const t of ['regions', 'grids', 'grid_versions', 'cameras', 'incidents', 'positions', 'basemap_features']) expect(tables).toContain(t);
    for (const r of rows) expect(r.srid).toBe(4326);
    const { rows: idx } = await db.pool.query(`SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%USING gist%' AND schemaname = 'public'`);
    const indexed = new Set(idx.map((r) => r.tablename));
    for (const t of ['regions', 'grids', 'grid_versions', 'cameras', 'incidents', 'basemap_features']) expect(indexed).toContain(t);
    // Raw positions are read by worker and time only: a spatial index would cost most of each insert.
    expect(indexed).not.toContain('positions');
    const { rows: pk } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'positions' AND schemaname = 'public'`);
    expect(pk.map((r) => r.indexdef)).toEqual([expect.stringMatching(/UNIQUE INDEX positions_pkey .*\(worker_id, ts\)/)]);
  });

  it('refuses to run when an applied migration was changed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    for (const f of await fs.readdir(MIGRATIONS_DIR)) await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    const first = (await fs.readdir(dir)).sort()[0];
    await fs.appendFile(path.join(dir, first), '\n-- edited\n');
    await expect(migrate(db.pool, undefined, dir)).rejects.toThrow(/was changed after it was applied/);
    await fs.rm(dir, { recursive: true });
  });

  it('a failing migration leaves nothing behind', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    for (const f of await fs.readdir(MIGRATIONS_DIR)) await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    await fs.writeFile(path.join(dir, '999_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    await expect(migrate(db.pool, undefined, dir)).rejects.toThrow();
    const { rowCount } = await db.pool.query(`SELECT 1 FROM pg_class WHERE relname = 'half_done'`);
    expect(rowCount).toBe(0);
    const { rowCount: recorded } = await db.pool.query('SELECT 1 FROM schema_migrations WHERE version = 999');
    expect(recorded).toBe(0);
    await fs.rm(dir, { recursive: true });
  });

  it('positions are partitioned by day, created ahead', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const created = await ensurePositionPartitions(db.pool, 1, 3, now);
    expect(created).toEqual(['positions_20260309', 'positions_20260310', 'positions_20260311', 'positions_20260312', 'positions_20260313']);
    expect(await ensurePositionPartitions(db.pool, 1, 3, now)).toEqual([]);
    await db.pool.query(`INSERT INTO positions (worker_id, ts, geom) VALUES (1, '2026-03-10T08:00:00Z', ST_SetSRID(ST_MakePoint(118.7, 34.5), 4326))`);
    const { rows } = await db.pool.query(`SELECT tableoid::regclass::text AS part FROM positions`);
    expect(rows[0].part).toBe('positions_20260310');
    // a query by time touches only its partition
    const { rows: plan } = await db.pool.query(`EXPLAIN SELECT * FROM positions WHERE ts >= '2026-03-11' AND ts < '2026-03-12'`);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('positions_20260311');
    expect(text).not.toContain('positions_20260310');
  });
});
