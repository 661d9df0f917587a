// The database going away and coming back while the server serves: requests that need it get 503 with
// Retry-After (never 500), live screens are told (`server-status`), and once it is back the same
// server process serves again, its pool reconnected, with nothing it acknowledged lost. The outage is
// a throwaway PostgreSQL cluster of this test's own (stopping it disturbs no other test). Also
// readiness: /api/ready is 503 while a migration is pending.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { buildApp } from '../../server/app.js';
import { openDatabase, freePort, type Database } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { ensurePositionPartitions } from '../../server/db/partitions.js';
import { newToken, tokenHash } from '../../server/domain/passwords.js';
import { createDatabase } from '../support/db.js';
import { createUser } from '../support/users.js';
import { deviceHeaders, workersWithPoints, type TestWorker } from '../support/fixtures.js';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

/** A PostgreSQL cluster in a temporary folder on a free port, run as the postgres user. */
class ThrowawayCluster {
  dir = '';
  port = 0;
  get url() { return `postgres://postgres@127.0.0.1:${this.port}/gridcc_fault_outage`; }

  private pgCmd(cmd: string, args: string[]) {
    return asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(BIN, cmd), ...args]) : run(path.join(BIN, cmd), args);
  }

  async init() {
    this.dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridcc-fault-'));
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await fs.chown(this.dir, Number(stdout), Number(gid));
    }
    this.port = await freePort();
    await this.pgCmd('initdb', ['-D', `${this.dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    await fs.appendFile(`${this.dir}/data/postgresql.conf`, [
      "listen_addresses = '127.0.0.1'", `port = ${this.port}`, `unix_socket_directories = '${this.dir}'`,
      'max_connections = 40', 'shared_buffers = 64MB', 'fsync = off', '',
    ].join('\n'));
    await this.start();
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${this.port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE gridcc_fault_outage');
    await admin.end();
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    await c.query('SET client_min_messages = warning; CREATE EXTENSION postgis');
    await c.end();
  }

  start() { return this.pgCmd('pg_ctl', ['-D', `${this.dir}/data`, '-l', `${this.dir}/postgres.log`, '-w', '-t', '60', 'start']); }
  /** Immediate: as a crash or a kill, no goodbye to the clients. */
  stop() { return this.pgCmd('pg_ctl', ['-D', `${this.dir}/data`, '-m', 'immediate', '-w', 'stop']); }

  async destroy() {
    if (!this.dir) return;
    await this.pgCmd('pg_ctl', ['-D', `${this.dir}/data`, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

const cluster = new ThrowawayCluster();
let db: Database;
let app: FastifyInstance;
let base: string;
let token: string;
let point: { lon: number; lat: number };
let workers: TestWorker[];

beforeAll(async () => {
  await cluster.init();
  db = await openDatabase({ databaseUrl: cluster.url, dataDir: '' });
  await migrate(db.pool);
  await ensurePositionPartitions(db.pool);
  const { seedDatabase } = await import('../../data/generate/index.js');
  await seedDatabase(db.pool, { incidents: 0 });
  const admin = await createUser(db.pool, 'admin');
  token = newToken();
  await db.pool.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, label) VALUES ($1, $2, 'api', 'outage test')`, [tokenHash(token), admin.id]);
  ({ rows: [point] } = await db.pool.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY id LIMIT 1`));
  workers = await workersWithPoints(db.pool, 4);
  app = await buildApp({ db, live: { timers: false, tickMs: 50 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  await db?.close();
  await cluster.destroy();
});

const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const report = (n: number) => fetch(`${base}/api/incidents`, {
  method: 'POST', headers: auth(),
  body: JSON.stringify({ category: 'C01', source: 'command_center', description: `outage test ${n}`, lon: point.lon, lat: point.lat }),
});

interface Status { database: 'up' | 'down'; stopping?: boolean }

/** Resolves with the first status received from index `from` on (already or still to come) that matches. */
function statusWhere(socket: Socket, seen: Status[], from: number, pred: (s: Status) => boolean): Promise<Status> {
  const hit = seen.slice(from).find(pred);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve) => {
    const on = (s: Status) => { if (pred(s)) { socket.off('server-status', on); resolve(s); } };
    socket.on('server-status', on);
  });
}

describe('database outage', () => {
  it('answers 503 with Retry-After while it is down, tells live screens, and serves again without a restart', async () => {
    const socket = io(base, { transports: ['websocket'], forceNew: true, auth: { token } });
    const statuses: Status[] = [];
    socket.on('server-status', (s: Status) => statuses.push(s));
    await statusWhere(socket, statuses, 0, (s) => s.database === 'up');
    const first = await socket.timeout(10_000).emitWithAck('subscribe', { scope: 'county' });
    expect(first.ok).toBe(true);
    expect((await fetch(`${base}/api/ready`)).status).toBe(200);

    // Incidents and positions reported one after another across the outage; every acknowledged one
    // must survive.
    const acknowledged: number[] = [];
    const positions: Array<[number, number]> = [];
    const answers = new Map<number, number>();
    const count = (status: number) => answers.set(status, (answers.get(status) ?? 0) + 1);
    let stop = false;
    let clock = Date.now() - 600_000;
    const load = (async () => {
      for (let n = 0; !stop; n++) {
        const res = await report(n);
        count(res.status);
        if (res.status === 201) acknowledged.push((await res.json()).incident.id);
        else await res.arrayBuffer();
        const w = workers[n % workers.length];
        const time = clock += 1000;
        const pos = await fetch(`${base}/api/positions`, {
          method: 'POST', headers: { 'content-type': 'application/json', ...deviceHeaders(w) },
          body: JSON.stringify([{ deviceId: w.deviceId, time: new Date(time).toISOString(), lon: w.lon, lat: w.lat }]),
        });
        count(pos.status);
        if (pos.status === 200) positions.push([w.id, time]);
        await pos.arrayBuffer();
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      while (acknowledged.length < 5) await new Promise((r) => setTimeout(r, 20));

      const beforeStop = statuses.length;
      await cluster.stop();
      await statusWhere(socket, statuses, beforeStop, (s) => s.database === 'down');

      for (const url of ['/api/health', '/api/positions/latest']) {
        const res = await fetch(`${base}${url}`, { headers: auth() });
        expect(res.status, url).toBe(503);
        expect(res.headers.get('retry-after'), url).toMatch(/^\d+$/);
        const body = await res.json();
        expect(body.message).toMatch(/database unavailable/);
        expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at \w+ \(/);
      }
      const write = await report(-1);
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toMatch(/^\d+$/);
      // The hotline's own error format says the same.
      const hotline = await fetch(`${base}/open311/v2/requests.json`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: 'some-key', service_code: 'C01', lat: String(point.lat), long: String(point.lon), description: '路灯不亮' }).toString(),
      });
      expect(hotline.status).toBe(503);
      expect(hotline.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await hotline.json()).toEqual([{ code: 503, description: 'database unavailable, retry shortly' }]);
      const ready = await fetch(`${base}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'down' });

      const beforeStart = statuses.length;
      await cluster.start();
      await statusWhere(socket, statuses, beforeStart, (s) => s.database === 'up');
      // The same process serves again: readiness, reads, writes, and live catch-up since the last message.
      expect((await fetch(`${base}/api/ready`)).status).toBe(200);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      const after = acknowledged.length;
      while (acknowledged.length < after + 5) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop = true;
      await load;
    }
    const again = await socket.timeout(10_000).emitWithAck('subscribe', { scope: 'county', since: first.at });
    expect(again.ok).toBe(true);
    socket.close();

    expect([...answers.keys()].every((code) => code === 200 || code === 201 || code === 503), JSON.stringify([...answers])).toBe(true);
    expect(answers.get(503)).toBeGreaterThan(0);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM incidents WHERE id = ANY($1::int[])', [acknowledged]);
    expect(rows[0].n).toBe(acknowledged.length);
    const { rows: [lost] } = await db.pool.query(`SELECT count(*)::int AS n FROM unnest($1::int[], $2::float8[]) AS u(w, t)
      WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.worker_id = u.w AND p.ts = to_timestamp(u.t / 1000))`, [positions.map((p) => p[0]), positions.map((p) => p[1])]);
    expect(positions.length).toBeGreaterThan(0);
    expect(lost.n).toBe(0);
  });
});

describe('readiness', () => {
  let fresh: Database;
  let readyApp: FastifyInstance;
  beforeAll(async () => {
    fresh = await openDatabase({ databaseUrl: await createDatabase('gridcc_fault_ready', { fresh: true }), dataDir: '' });
    await migrate(fresh.pool);
    readyApp = await buildApp({ db: fresh, live: { timers: false } });
  });
  afterAll(async () => {
    await readyApp?.close();
    await fresh?.close();
  });

  it('is ready when every migration is applied, 503 naming the pending one otherwise', async () => {
    const ok = await readyApp.inject('/api/ready');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ready', database: 'up', migrations: { pending: [] } });
    const { rows: [last] } = await fresh.pool.query('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations) RETURNING *');
    try {
      const pending = await readyApp.inject('/api/ready');
      expect(pending.statusCode).toBe(503);
      expect(pending.headers['retry-after']).toMatch(/^\d+$/);
      expect(pending.json()).toMatchObject({ status: 'unavailable', database: 'up', migrations: { pending: [last.name] } });
      expect(pending.json().reason).toContain(last.name);
    } finally {
      await fresh.pool.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [last.version, last.name, last.checksum, last.applied_at]);
    }
    expect((await readyApp.inject('/api/ready')).statusCode).toBe(200);
    // Liveness stays as it was.
    expect((await readyApp.inject('/api/health')).statusCode).toBe(200);
  });
});
