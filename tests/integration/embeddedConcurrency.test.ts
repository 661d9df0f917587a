// The embedded database under concurrent queries: PGlite's socket server runs the protocol messages
// of its connections one at a time, and those of two connections must never mix within a query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, withTransaction, type Database } from '../../server/db/pool.js';

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridcc-embedded-concurrency-'));
let db: Database;

beforeAll(async () => {
  db = await openDatabase({ dataDir });
}, 300_000);
afterAll(async () => {
  await db?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('embedded database, many queries at once', () => {
  it('answers each parameterised query with its own statement and values', async () => {
    // Statement shapes with different parameters, as the API, the position writer and the patrol
    // state updater send them at the same time: large ones arrive in several TCP chunks, queries
    // without parameters go as simple Query messages, transactions hold their connection.
    const shapes: Array<(i: number) => Promise<[unknown, unknown]>> = [
      (i) => db.pool.query('SELECT $1::int * 2 AS v', [i]).then((r): [unknown, unknown] => [r.rows[0]?.v, i * 2]),
      (i) => db.pool.query('SELECT length($1::text) + $2::int AS v', ['x'.repeat(i % 50 * 4000), 1]).then((r): [unknown, unknown] => [r.rows[0]?.v, i % 50 * 4000 + 1]),
      (i) => db.pool.query(`SELECT ${i} AS v`).then((r): [unknown, unknown] => [r.rows[0]?.v, i]),
      (i) => withTransaction(db.pool, async (c) => {
        const a = await c.query('SELECT $1::float8 + $2::float8 + $3::float8 AS v', [i, 0.5, 0.25]);
        const b = await c.query('SELECT $1::text AS v', [`t${i}`]);
        return [`${a.rows[0]?.v}/${b.rows[0]?.v}`, `${i + 0.75}/t${i}`] as [unknown, unknown];
      }),
    ];
    const wrong: string[] = [];
    const until = Date.now() + 4000;
    await Promise.all(shapes.map(async (shape, k) => {
      for (let i = 0; Date.now() < until; i++) {
        try {
          const [got, want] = await shape(i);
          if (got !== want) wrong.push(`shape ${k}, ${i}: got ${String(got).slice(0, 40)}, want ${String(want).slice(0, 40)}`);
        } catch (err) {
          wrong.push(`shape ${k}, ${i}: ${(err as Error).message}`);
        }
      }
    }));
    expect(wrong).toEqual([]);
  }, 120_000);
});
