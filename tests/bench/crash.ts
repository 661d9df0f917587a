// Crash recovery: a server process of its own takes sustained position ingest (POST /api/positions
// batches and /osmand) and incident reports, is killed with SIGKILL mid-stream, and is started again
// on the same port. Every acknowledged (2xx) position and incident must be in the database, and a
// live client must reconnect by itself and catch up. The integration test runs a few seconds of it;
// `npm run bench -- --only crash --seconds 30` runs it longer and prints the figures.
import type pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RunningServer } from '../support/server.js';
import { deviceKeys } from '../support/fixtures.js';
import { userWithToken } from '../support/auth.js';
import { table } from './stats.js';

interface Device { workerId: number; deviceId: string; key: string; lon: number; lat: number }

export interface CrashResult {
  seconds: number;
  acknowledged: { positions: number; incidents: number };
  missing: { positions: number; incidents: number };
  /** Requests not acknowledged, by answer: a status code, or `cut` for no answer (the kill). */
  unanswered: Record<string, number>;
  positionsPerSecond: number;
  /** From SIGKILL to the restarted server answering /api/ready. */
  restartMs: number;
  /** The live client: reconnected by itself, its catch-up since its last message, a new position seen. */
  live: { reconnected: boolean; caughtUp: boolean; sawNewPosition: boolean };
}

export interface CrashOptions { seconds: number; devices?: number; batchLoops?: number; osmandLoops?: number; log?: (msg: string) => void }

async function devicesOf(pool: pg.Pool, n: number): Promise<Device[]> {
  const { rows } = await pool.query(`
    SELECT w.id AS "workerId", w.device_id AS "deviceId", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
    FROM workers w JOIN grids g ON g.id = w.grid_id WHERE w.device_id IS NOT NULL AND w.active ORDER BY w.id LIMIT $1`, [n]);
  // each phone proves itself with its key, issued as an administrator would
  const keys = await deviceKeys(pool, rows.map((r) => r.deviceId));
  return rows.map((r) => ({ ...r, key: keys.get(r.deviceId)! }));
}

/** A live client that reconnects by itself (as the screens do) and subscribes again with `since`. */
function liveScreen(url: string, token: string) {
  const socket: Socket = io(url, { transports: ['websocket'], forceNew: true, auth: { token }, reconnectionDelay: 100, reconnectionDelayMax: 500 });
  let lastAt: string | undefined;
  let connects = 0;
  const workersSeen = new Set<number>();
  const state = { reconnected: false, caughtUp: false };
  const onMessage = (m: { at: string; workers: Array<[number]> }) => { lastAt = m.at; for (const t of m.workers) workersSeen.add(t[0]); };
  socket.on('snapshot', onMessage);
  socket.on('positions', onMessage);
  socket.on('connect', () => {
    connects++;
    const again = connects > 1;
    socket.timeout(10_000).emitWithAck('subscribe', { scope: 'county', ...(again && lastAt ? { since: lastAt } : {}) })
      .then((ack: { ok: boolean }) => { if (again) { state.reconnected = true; state.caughtUp = ack.ok; } }, () => {});
  });
  return { socket, state, workersSeen, close: () => socket.close() };
}

export async function crashRecovery(pool: pg.Pool, databaseUrl: string, opts: CrashOptions): Promise<CrashResult> {
  const log = opts.log ?? (() => {});
  const devices = await devicesOf(pool, opts.devices ?? 200);
  const adminToken = (await userWithToken(pool, 'admin')).token;
  const screenToken = (await userWithToken(pool, 'viewer', undefined, 'screen')).token;
  const env = { DATABASE_URL: databaseUrl, SIMULATE: '0' };
  let server: RunningServer = await startServer(env);
  const url = server.url;
  const screen = liveScreen(url, screenToken);

  // Distinct times for every position: a millisecond counter walking forward from an hour ago.
  let tick = Date.now() - 3_600_000;
  const acked: Array<[number, number]> = [];
  const incidents: number[] = [];
  const unanswered: Record<string, number> = {};
  const miss = (why: number | string) => { unanswered[why] = (unanswered[why] ?? 0) + 1; };
  let running = true;
  const auth = { authorization: `Bearer ${adminToken}` };

  const batchLoop = async (slot: number) => {
    for (let n = 0; running; n++) {
      const batch = Array.from({ length: 50 }, (_, i) => {
        const d = devices[(slot * 50 + i + n) % devices.length];
        return { d, p: { deviceId: d.deviceId, key: d.key, time: new Date(tick++).toISOString(), lon: d.lon + (i % 7) * 1e-5, lat: d.lat, speed: 1.1 } };
      });
      try {
        const res = await fetch(`${url}/api/positions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch.map((b) => b.p)) });
        const body = await res.json().catch(() => null) as { rejected?: Array<{ index: number }> } | null;
        if (res.ok && body) {
          const rejected = new Set((body.rejected ?? []).map((r) => r.index));
          batch.forEach((b, i) => { if (!rejected.has(i)) acked.push([b.d.workerId, Date.parse(b.p.time)]); });
        } else miss(res.status);
      } catch { miss('cut'); }
    }
  };
  const osmandLoop = async (slot: number) => {
    for (let n = 0; running; n++) {
      const d = devices[(slot * 31 + n) % devices.length];
      const t = tick++;
      const q = new URLSearchParams({ id: d.deviceId, key: d.key, timestamp: String(t), lat: d.lat.toFixed(6), lon: d.lon.toFixed(6), speed: '2' });
      try {
        const res = await fetch(`${url}/osmand?${q}`, { method: 'POST' });
        await res.arrayBuffer();
        if (res.ok) acked.push([d.workerId, t]);
        else miss(res.status);
      } catch { miss('cut'); }
    }
  };
  const incidentLoop = async () => {
    for (let n = 0; running; n++) {
      const d = devices[n % devices.length];
      try {
        const res = await fetch(`${url}/api/incidents`, {
          method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'C01', source: 'grid_worker', description: `crash recovery ${n}`, lon: d.lon, lat: d.lat }),
        });
        const body = await res.json().catch(() => null) as { incident?: { id: number } } | null;
        if (res.status === 201 && body?.incident) incidents.push(body.incident.id);
        else miss(res.status);
      } catch { miss('cut'); }
    }
  };

  const started = performance.now();
  const loops = [
    ...Array.from({ length: opts.batchLoops ?? 4 }, (_, i) => batchLoop(i)),
    ...Array.from({ length: opts.osmandLoops ?? 8 }, (_, i) => osmandLoop(i)),
    incidentLoop(),
  ];
  // Let the load run, then kill the server in the middle of it.
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  const killedAt = performance.now();
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  await exited;
  running = false;
  await Promise.all(loops);
  const seconds = (killedAt - started) / 1000;
  log(`killed after ${seconds.toFixed(1)} s: ${acked.length} positions and ${incidents.length} incidents acknowledged`);

  // Started again on the same port: the live client finds it by itself.
  server = await startServer({ ...env, PORT: String(server.port) });
  for (;;) {
    const ready = await fetch(`${url}/api/ready`).catch(() => null);
    if (ready?.status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const restartMs = performance.now() - killedAt;

  // A position after the restart reaches the reconnected client.
  const probe = devices[0];
  let sawNewPosition = false;
  try {
    for (let i = 0; i < 200 && !(screen.state.caughtUp && sawNewPosition); i++) {
      screen.workersSeen.delete(probe.workerId);
      const res = await fetch(`${url}/api/positions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ deviceId: probe.deviceId, key: probe.key, time: new Date(Date.now() - 1000 + i).toISOString(), lon: probe.lon, lat: probe.lat }]),
      });
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
      sawNewPosition = screen.state.caughtUp && screen.workersSeen.has(probe.workerId);
    }
  } finally {
    screen.close();
    await server.stop();
  }

  // Every acknowledged position and incident is stored.
  const { rows: [p] } = await pool.query(`
    SELECT count(*)::int AS n FROM unnest($1::int[], $2::float8[]) AS u(w, t)
    WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.worker_id = u.w AND p.ts BETWEEN to_timestamp((u.t - 0.5) / 1000) AND to_timestamp((u.t + 0.5) / 1000))`,
  [acked.map((a) => a[0]), acked.map((a) => a[1])]);
  const { rows: [i] } = await pool.query('SELECT $2::int - count(*)::int AS n FROM incidents WHERE id = ANY($1::int[])', [incidents, incidents.length]);
  return {
    seconds,
    acknowledged: { positions: acked.length, incidents: incidents.length },
    missing: { positions: p.n, incidents: i.n },
    unanswered,
    positionsPerSecond: acked.length / seconds,
    restartMs,
    live: { reconnected: screen.state.reconnected, caughtUp: screen.state.caughtUp, sawNewPosition },
  };
}

/** `npm run bench -- --only crash [--seconds N]`. */
export async function benchCrash(pool: pg.Pool, databaseUrl: string, opts: { seconds: number }) {
  const r = await crashRecovery(pool, databaseUrl, { seconds: opts.seconds, devices: 2000, batchLoops: 8, osmandLoops: 32, log: (m) => console.log(m) });
  table(`Crash recovery: SIGKILL after ${r.seconds.toFixed(1)} s of ingest and incident reports, restart on the same port`, [{
    'positions acked': r.acknowledged.positions, 'positions/s': Math.round(r.positionsPerSecond), 'positions lost': r.missing.positions,
    'incidents acked': r.acknowledged.incidents, 'incidents lost': r.missing.incidents, 'not acked': JSON.stringify(r.unanswered),
    'kill → ready ms': Math.round(r.restartMs), 'live reconnected': String(r.live.reconnected), 'live caught up': String(r.live.caughtUp && r.live.sawNewPosition),
  }]);
}
