// Position ingest and live fan-out, against a server process of its own on the real PostGIS:
//  - POST /api/positions batches (durable: acknowledged after commit), positions/s and p99;
//  - OsmAnd, one position per request, requests/s and p99;
//  - 50 and 500 socket.io clients subscribed while 3,000 positions/s are ingested: commit→client
//    latency p50/p99, bytes per second per client, server RSS over the run.
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { startServer, type RunningServer } from '../support/server.js';
import { deviceKeys } from '../support/fixtures.js';
import { userWithToken } from '../support/auth.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Subscription } from '../../server/schemas/live.js';
import type { FromClients, ToClients } from './liveClients.js';
import { median, percentile, table } from './stats.js';

interface Device { workerId: number; deviceId: string; key: string; lon: number; lat: number; township: string; bbox: [number, number, number, number] }

async function devices(pool: pg.Pool): Promise<Device[]> {
  const { rows } = await pool.query(`
    SELECT w.id AS "workerId", w.device_id AS "deviceId", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat, t.code AS township,
           json_build_array(ST_XMin(t.geom), ST_YMin(t.geom), ST_XMax(t.geom), ST_YMax(t.geom)) AS bbox
    FROM workers w JOIN grids g ON g.id = w.grid_id JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
    WHERE w.device_id IS NOT NULL AND w.active ORDER BY w.id`);
  // each phone proves itself with its key, issued here as an administrator would
  const keys = await deviceKeys(pool, rows.map((r) => r.deviceId));
  return rows.map((r) => ({ ...r, key: keys.get(r.deviceId)! }));
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** Distinct timestamps so every position is new: a millisecond counter walking forward from t0. */
function clock(t0: number) { let n = 0; return () => t0 + n++; }

/** CPU time (ms) a process has used, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch { return 0; } // ended meanwhile
}

/** CPU time (ms) of each PostgreSQL process working for this database (backends, autovacuum). */
function postgresCpuMs(database: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd = '';
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.startsWith('postgres: ') && cmd.includes(` ${database} `)) out.set(Number(pid), cpuMs(Number(pid)));
  }
  return out;
}

/** Where the machine's CPU went during a run: the server, PostgreSQL and this load generator, as % of one core. */
async function withCpu<T extends Record<string, unknown>>(server: RunningServer, database: string, seconds: number, run: () => Promise<T & { positions: number }>) {
  const s0 = cpuMs(server.child.pid!); const p0 = postgresCpuMs(database); const c0 = process.cpuUsage();
  const r = await run();
  const s = cpuMs(server.child.pid!) - s0;
  const c = process.cpuUsage(c0);
  // processes that ended meanwhile are not counted (pool connections closing when idle)
  let p = 0;
  for (const [pid, ms] of postgresCpuMs(database)) p += ms - (p0.get(pid) ?? 0);
  const { positions, ...rest } = r;
  return {
    ...rest,
    'server CPU %': Math.round(s / seconds / 10), 'PostgreSQL CPU %': Math.round(p / seconds / 10),
    'load generator CPU %': Math.round((c.user + c.system) / 1000 / seconds / 10),
    'server µs/position': positions ? (s * 1000 / positions).toFixed(1) : '-',
  };
}

/** Batches of `perRequest` positions of random workers (a gateway or phones with buffered fixes). */
async function batchIngest(server: RunningServer, devs: Device[], seconds: number, perRequest: number, connections: number, t0: number) {
  const next = clock(t0);
  // Each position's JSON from pieces made once per device (a few points around its grid's centre):
  // the load generator shares the machine's two cores with the server and PostgreSQL, and
  // serialising objects for every request took a fifth of a core.
  const pieces = devs.map((d) => ({
    head: `{"deviceId":${JSON.stringify(d.deviceId)},"key":${JSON.stringify(d.key)},"time":"`,
    tails: Array.from({ length: 8 }, () => `","lon":${d.lon + (Math.random() - 0.5) * 1e-3},"lat":${d.lat},"speed":1.1}`),
  }));
  let accepted = 0;
  const result = await autocannon({
    url: `${server.url}/api/positions`, connections, duration: seconds,
    requests: [{
      method: 'POST', headers: { 'content-type': 'application/json' },
      setupRequest: (req: autocannon.Request) => {
        const batch: string[] = new Array(perRequest);
        for (let i = 0; i < perRequest; i++) {
          const d = pieces[(Math.random() * pieces.length) | 0];
          batch[i] = d.head + new Date(next()).toISOString() + d.tails[(Math.random() * d.tails.length) | 0];
        }
        return { ...req, body: `[${batch.join(',')}]` };
      },
      onResponse: (status: number, body: string) => { if (status === 200) accepted += JSON.parse(body).accepted; },
    }],
  });
  return {
    case: `POST /api/positions, ${perRequest}/request, ${connections} connections`,
    'positions/s committed': Math.round(accepted / seconds),
    'requests/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, errors: result.errors + result.non2xx,
    positions: accepted,
  };
}

async function osmandIngest(server: RunningServer, devs: Device[], seconds: number, connections: number, t0: number) {
  const next = clock(t0);
  const result = await autocannon({
    url: `${server.url}/osmand`, connections, duration: seconds,
    requests: [{
      method: 'GET',
      setupRequest: (req: autocannon.Request) => {
        const d = devs[(Math.random() * devs.length) | 0];
        return { ...req, path: `/osmand?id=${d.deviceId}&key=${d.key}&timestamp=${next()}&lat=${d.lat.toFixed(6)}&lon=${d.lon.toFixed(6)}&speed=2.1&bearing=90&batt=80` };
      },
    }],
  });
  return {
    case: `OsmAnd GET, 1 position/request, ${connections} connections`,
    'positions/s committed': Math.round(result['2xx'] / seconds),
    'requests/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, errors: result.errors + result.non2xx,
    positions: result['2xx'],
  };
}

/**
 * Batch sizes and connections measured: the same positions in fewer, larger requests commit faster
 * but each waits longer (p99 grows with the positions in flight: size × connections).
 */
const BATCH_CASES: Array<[perRequest: number, connections: number]> = [[100, 32], [250, 8], [500, 8], [1000, 4]];

/** Socket clients in CLIENT_PROCESSES child processes (see liveClients.ts). */
const CLIENT_PROCESSES = 4;

async function fanout(server: RunningServer, devs: Device[], clients: number, seconds: number, rate = 3000, token?: string) {
  // a tenth watch the whole county (wall screens), the rest a township's box (dispatchers' screens)
  const subs: Subscription[] = Array.from({ length: clients }, (_, i) =>
    i % 10 === 0 ? { scope: 'county' } : { scope: 'bbox', bbox: devs[(i * 97) % devs.length].bbox });
  const children = Array.from({ length: Math.min(CLIENT_PROCESSES, clients) }, () =>
    fork(fileURLToPath(new URL('./liveClients.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' }));
  const next1 = (c: ChildProcess) => new Promise<FromClients>((resolve, reject) => {
    c.once('message', (m) => resolve(m as FromClients));
    c.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
  });
  const tell = (m: ToClients) => children.forEach((c) => c.send(m));
  await Promise.all(children.map((c, k) => {
    const ready = next1(c);
    c.send({ type: 'start', url: server.url, token, subs: subs.filter((_, i) => i % children.length === k) } satisfies ToClients);
    return ready;
  }));

  const rss: number[] = [rssMb(server.child.pid!)];
  const perTick = Math.round(rate / 10);
  tell({ type: 'measure' });
  const start = Date.now();
  const rssTimer = setInterval(() => rss.push(rssMb(server.child.pid!)), 5000);
  let turn = 0;
  while (Date.now() - start < seconds * 1000) {
    const tickStart = Date.now();
    // Fixes of now, as phones send them: only a fix newer than a worker's last one moves it on the
    // screens (an older one is history). Distinct workers within a batch, so no two share a time.
    const batch = [];
    for (let i = 0; i < perTick; i++) {
      const d = devs[(turn++ * 7919) % devs.length];
      batch.push({ workerId: d.workerId, deviceId: d.deviceId, key: d.key, time: tickStart, lon: d.lon + (Math.random() - 0.5) * 2e-3, lat: d.lat + (Math.random() - 0.5) * 2e-3, speed: 1.2 });
    }
    const res = await fetch(`${server.url}/api/positions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    const ack = Date.now();
    await res.arrayBuffer();
    tell({ type: 'acks', acks: batch.map((p) => [`${p.workerId}|${p.time}`, ack]) });
    const wait = 100 - (Date.now() - tickStart);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 1000));
  clearInterval(rssTimer);
  const results = await Promise.all(children.map((c) => { const r = next1(c); c.send({ type: 'stop' } satisfies ToClients); return r; }));
  const lat: number[] = [];
  const bytes: number[] = [];
  let unmatched = 0;
  let deliveries = 0;
  for (const r of results) if (r.type === 'result') {
    for (const l of r.latencies) lat.push(l);
    deliveries += r.deliveries;
    for (const b of r.bytes) bytes.push(b / seconds);
    unmatched += r.unmatched;
  }
  return { lat, deliveries, bytes, rss, unmatched };
}

export async function benchIngest(pool: pg.Pool, databaseUrl: string, opts: { seconds: number; fanoutSeconds: number; fanoutClients?: number[]; skipIngest?: boolean }) {
  const devs = await devices(pool);
  const viewer = await userWithToken(pool, 'viewer');
  // One loopback address stands for every phone of the county here: no per-address ingest limit.
  const server = await startServer({ DATABASE_URL: databaseUrl, SIMULATE: '0', CLIENT_DIR: '/nonexistent', LOG_LEVEL: 'error', RATE_LIMIT_INGEST_IP: '0' });
  try {
    if (!opts.skipIngest) {
      const database = new URL(databaseUrl).pathname.slice(1);
      const rows = [];
      // each case its own hour of times, so no case repeats another's (device, time)
      let hour = 3;
      for (const [per, conns] of BATCH_CASES) {
        const t0 = Date.now() - hour++ * 3_600_000;
        rows.push(await withCpu(server, database, opts.seconds, () => batchIngest(server, devs, opts.seconds, per, conns, t0)));
      }
      for (const conns of [64, 256]) {
        const t0 = Date.now() - hour++ * 3_600_000;
        rows.push(await withCpu(server, database, opts.seconds, () => osmandIngest(server, devs, opts.seconds, conns, t0)));
      }
      table(`Ingest (durable: acknowledged after commit), ${opts.seconds} s each; CPU in % of one of ${os.cpus().length} cores`, rows);
    }

    const out = [];
    for (const n of opts.fanoutClients ?? [50, 500]) {
      const r = await fanout(server, devs, n, opts.fanoutSeconds, 3000, viewer.token);
      const latency = r.lat;
      out.push({
        clients: n, 'positions/s': 3000, 'p50 ms': median(latency).toFixed(0), 'p99 ms': percentile(latency, 99).toFixed(0),
        'deliveries': r.deliveries, unmatched: r.unmatched,
        'KB/s per client (median)': (median(r.bytes) / 1024).toFixed(1), 'KB/s per client (max)': (Math.max(...r.bytes) / 1024).toFixed(1),
        'server RSS MB start→end (max)': `${r.rss[0].toFixed(0)}→${r.rss[r.rss.length - 1].toFixed(0)} (${Math.max(...r.rss).toFixed(0)})`,
      });
      // a long run: the server's memory minute by minute (sampled every 5 s), to see it stays flat
      if (opts.fanoutSeconds >= 120) console.log(`server RSS MB each minute, ${n} clients: ${r.rss.filter((_, i) => i % 12 === 0).map((m) => m.toFixed(0)).join(' ')}`);
    }
    table(`Live fan-out while ingesting 3,000 positions/s (1/10 of clients watch the county, the rest a township box), ${opts.fanoutSeconds} s each`, out);
  } finally {
    await server.stop();
  }
}
