// Versioned SQL migrations: server/db/migrations/NNN_name.sql, applied once each, in order, each in
// its own transaction, recorded with a checksum. Editing an applied migration is an error.
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type pg from 'pg';
import { ROOT } from '../config.js';
import { withTransaction } from './pool.js';

export const MIGRATIONS_DIR = path.join(ROOT, 'server/db/migrations');

export interface Migration { version: number; name: string; sql: string; checksum: string }

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const sql = await fs.readFile(path.join(dir, file), 'utf8');
    out.push({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql,
      checksum: crypto.createHash('sha256').update(sql).digest('hex'),
    });
  }
  out.forEach((m, i) => { if (i > 0 && m.version === out[i - 1].version) throw new Error(`two migrations numbered ${m.version}`); });
  return out;
}

/** Applies pending migrations; returns the names applied. Safe when several servers start at once. */
export async function migrate(pool: pg.Pool, log?: (msg: string) => void, dir?: string): Promise<string[]> {
  const migrations = await readMigrations(dir);
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await withTransaction(pool, async (client) => {
      // One migrator at a time across processes; the lock ends with the transaction.
      await client.query('SELECT pg_advisory_xact_lock(7220722)');
      const { rows } = await client.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length) {
        if (rows[0].checksum !== m.checksum) {
          throw new Error(`migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`);
        }
        return false;
      }
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) { applied.push(m.name); log?.(`migration ${m.name} applied`); }
  }
  return applied;
}
