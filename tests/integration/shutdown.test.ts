// Graceful shutdown of the real server process: on SIGTERM it stops accepting connections, finishes
// the request in flight (held up by a table lock the test owns), closes the live connections and the
// pool, and exits 0.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { io } from 'socket.io-client';
import { seededDatabase } from '../support/db.js';
import { startServer, type RunningServer } from '../support/server.js';
import { createUser } from '../support/users.js';
import { newToken, tokenHash } from '../../server/domain/passwords.js';
import type { Database } from '../../server/db/pool.js';

let url: string;
let db: Database;
let token: string;
const running: RunningServer[] = [];

beforeAll(async () => {
  ({ url, db } = await seededDatabase('gridcc_fault_shutdown', 1000));
  // A wall-screen token: live connections need a login.
  const viewer = await createUser(db.pool, 'viewer');
  token = newToken();
  await db.pool.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, label) VALUES ($1, $2, 'screen', 'shutdown test')`, [tokenHash(token), viewer.id]);
});
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await db?.close();
});

const start = async () => {
  const s = await startServer({ DATABASE_URL: url, SIMULATE: '0' });
  running.push(s);
  return s;
};
const exitCode = (s: RunningServer) => new Promise<number | null>((resolve) => {
  if (s.child.exitCode !== null) resolve(s.child.exitCode);
  else s.child.once('exit', (code) => resolve(code));
});
/** Resolves once the port refuses connections: the server stopped accepting. */
async function refused(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(false); });
      c.once('error', () => resolve(true));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the request in flight, closes live connections and exits 0', async () => {
    const server = await start();
    const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
    const statuses: Array<{ database: string; stopping?: boolean }> = [];
    socket.on('server-status', (s) => statuses.push(s));
    await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    // Hold a request: the test owns a lock on a table it reads until it lets go.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE cameras IN ACCESS EXCLUSIVE MODE');
    const inFlight = fetch(`${server.url}/api/health`);
    // Wait until it is actually waiting on the lock (asked outside the locking transaction, whose
    // view of pg_stat_activity would stay the same).
    for (;;) {
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM cameras%'`);
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    const exited = exitCode(server);
    server.child.kill('SIGTERM');
    await refused(server.port);
    expect(server.child.exitCode).toBeNull(); // still finishing the request
    expect(await disconnected).toBe('transport close'); // so the client reconnects to the next server
    expect(statuses.at(-1)).toMatchObject({ database: 'up', stopping: true });

    await locker.query('COMMIT');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect((await res.json()).status).toBe('ok');
    expect(await exited).toBe(0);
    await locker.end();
    socket.close();
    expect(server.output()).toMatch(/SIGTERM: shutting down/);
    expect(server.output()).toMatch(/stopped/);
  });

  it('on SIGINT exits 0 as well', async () => {
    const server = await start();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const exited = exitCode(server);
    server.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
