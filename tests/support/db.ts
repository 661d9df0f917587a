// Test databases on the real PostGIS started by the project's own script (server/db/pg-up.sh).
// TEST_DATABASE_URL (or DATABASE_URL) names a server to use instead; a database `gridcc_test` is
// created on it, migrated and seeded once, and reused by every test file.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from '../../server/config.js';
import { openDatabase, type Database } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { ensurePositionPartitions } from '../../server/db/partitions.js';

let serverUrl: string | undefined;

/** URL of the PostgreSQL server the tests run against (starting the local one if needed). */
export function testServerUrl(): string {
  if (serverUrl) return serverUrl;
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  serverUrl = given || execFileSync('bash', [path.join(ROOT, 'server/db/pg-up.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return serverUrl;
}

/** Same server, another database name. */
export function databaseUrl(name: string): string {
  const u = new URL(testServerUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates (if missing) a database with PostGIS on the test server. */
export async function createDatabase(name: string, { fresh = false } = {}): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis');
  await c.end();
  return url;
}

export const TEST_INCIDENTS = 100_000;

/** The shared seeded test database (seeded on first use; later test files reuse it). */
export async function seededTestDatabase(): Promise<Database> {
  return (await seededDatabase('gridcc_test')).db;
}

/** A seeded database of its own (e2e and benchmarks write to theirs without disturbing the tests'). */
export async function seededDatabase(name: string, incidents = TEST_INCIDENTS): Promise<{ url: string; db: Database }> {
  const url = await createDatabase(name);
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  await migrate(db.pool);
  await ensurePositionPartitions(db.pool);
  const { rows } = await db.pool.query(`SELECT value FROM dataset_info WHERE key = 'seed'`);
  const { seedDatabase, GENERATOR_VERSION } = await import('../../data/generate/index.js');
  if (!rows.length || rows[0].value.incidents !== incidents || rows[0].value.generatorVersion !== GENERATOR_VERSION) {
    await seedDatabase(db.pool, { incidents });
  }
  return { url, db };
}
