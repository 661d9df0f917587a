// The only module that knows whether the database is a real PostgreSQL server or the embedded
// PGlite. Everything else talks to a `pg` Pool, so the same SQL runs in both modes.
import net from 'node:net';
import fs from 'node:fs/promises';
import pg from 'pg';
import { DatabaseAvailability } from './availability.js';

export type DatabaseMode = 'external' | 'embedded';

export interface Database {
  pool: pg.Pool;
  mode: DatabaseMode;
  /** Connection string the pool uses (for the embedded server, a loopback port). */
  url: string;
  /** Up or down now; marked down by connection errors, probed until it answers again. */
  availability: DatabaseAvailability;
  close(): Promise<void>;
}

// bigint counts come back as strings by default; our counts fit easily in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Connections to a real server (default 10); the embedded database always has one. */
  poolSize?: number;
  log?: (msg: string) => void;
  /** How long a query may wait for a connection before failing (a 503 to the caller); 0 = no limit. */
  connectTimeoutMs?: number;
}

// Bounds the wait on an unreachable server; long enough that a busy pool's queue never meets it.
const CONNECT_TIMEOUT_MS = 30_000;

/** A pool whose lost connections mark the database down instead of going unnoticed. */
function watchedPool(url: string, max: number, connectTimeoutMs: number) {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: connectTimeoutMs });
  const availability = new DatabaseAvailability(() => pool.query('SELECT 1'));
  // An idle client lost (server restart): the pool replaces it on demand.
  pool.on('error', (err) => { availability.report(err); });
  // A client checked out (a transaction) has no listener of the pool's: without this one, losing
  // its connection between two statements would be an uncaught error that ends the process.
  pool.on('connect', (client) => { client.on('error', (err) => { availability.report(err); }); });
  return { pool, availability };
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const { pool, availability } = watchedPool(opts.databaseUrl, opts.poolSize ?? 10, opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    return {
      pool, availability, mode: 'external', url: opts.databaseUrl,
      close: async () => { availability.close(); await pool.end(); },
    };
  }
  return openEmbedded(opts);
}

/** A free TCP port on loopback (for the embedded database's socket, and for tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function openEmbedded(opts: OpenOptions): Promise<Database> {
  // Loaded lazily: the WASM build is large and not needed with a real server.
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  await fs.mkdir(opts.dataDir, { recursive: true });
  const fresh = !(await fs.stat(`${opts.dataDir}/PG_VERSION`).then(() => true, () => false));
  opts.log?.(fresh ? `creating embedded database in ${opts.dataDir} (first start takes ~10 s)` : `opening embedded database in ${opts.dataDir}`);
  const db = await PGlite.create({ dataDir: opts.dataDir, extensions: { postgis } });
  // One connection. PGlite runs one backend, and its socket server interleaves the protocol messages
  // of different connections between a query's Parse and its Sync: one connection's Bind could meet
  // another's statement (wrong parameters, or another query's rows). A single connection sends each
  // query whole, and nothing else runs on PGlite meanwhile anyway.
  const poolSize = 1;
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: poolSize + 4 });
  await server.start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // In process: it cannot be unreachable, only busy (one statement at a time), so no time limit.
  const { pool, availability } = watchedPool(url, poolSize, opts.connectTimeoutMs ?? 0);
  return {
    pool,
    availability,
    mode: 'embedded',
    url,
    async close() {
      availability.close();
      await pool.end();
      await server.stop();
      await db.close();
    },
  };
}

/** Runs fn inside one transaction on one client. Inside, use only that client (PGlite: a pool.query
 * from inside a transaction would wait for the transaction it is part of). With `rollback` (a dry
 * run) the work is undone even when it succeeds. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, opts: { rollback?: boolean } = {}): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query(opts.rollback ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
