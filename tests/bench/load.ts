// The county on a working day, for N minutes (30 by default): every one of the 2,911 workers' phones
// reports once per 10 s through OsmAnd (each with its own key), 50 wall screens stay connected (in
// child processes, as in the fan-out benchmark) and poll what the screen polls, and dispatchers
// report incidents and move them on. Prints errors, p50/p99 latency of ingest, reads and incident
// writes, and per minute the server's RSS and event-loop delay (from /api/admin/metrics), which should
// stay flat.
//   npm run bench -- --only load [--load-minutes 30]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { issueDeviceKeys } from '../../server/domain/devices.js';
import type { Subscription } from '../../server/schemas/live.js';
import { startServer } from '../support/server.js';
import { userWithToken } from '../support/auth.js';
import type { FromClients, ToClients } from './liveClients.js';
import { median, percentile, table } from './stats.js';

interface Phone { workerId: number; deviceId: string; key: string; lon: number; lat: number; x0: number; y0: number; x1: number; y1: number }

class Latencies {
  values: number[] = [];
  errors = 0;
  add(ms: number, ok: boolean) { this.values.push(ms); if (!ok) this.errors++; }
  row(name: string) {
    return { requests: name, count: this.values.length, errors: this.errors, 'p50 ms': median(this.values).toFixed(1), 'p99 ms': percentile(this.values, 99).toFixed(1) };
  }
}

async function timed(l: Latencies, f: () => Promise<Response>) {
  const t = performance.now();
  try {
    const res = await f();
    await res.arrayBuffer();
    l.add(performance.now() - t, res.ok);
  } catch {
    l.add(performance.now() - t, false);
  }
}

export async function benchLoad(pool: pg.Pool, databaseUrl: string, minutes: number) {
  const { rows } = await pool.query(`
    SELECT w.id AS "workerId", w.device_id AS "deviceId", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat,
           ST_XMin(g.geom) AS x0, ST_YMin(g.geom) AS y0, ST_XMax(g.geom) AS x1, ST_YMax(g.geom) AS y1
    FROM workers w JOIN grids g ON g.id = w.grid_id WHERE w.device_id IS NOT NULL AND w.active ORDER BY w.id`);
  const keys = new Map((await issueDeviceKeys(pool, rows.map((r) => r.deviceId), { userId: null, name: 'load benchmark' })).map((k) => [k.deviceId, k.key]));
  const phones: Phone[] = rows.map((r) => ({ ...r, key: keys.get(r.deviceId)! }));
  const viewer = await userWithToken(pool, 'viewer');
  const dispatcher = await userWithToken(pool, 'dispatcher');
  const admin = await userWithToken(pool, 'admin');
  const server = await startServer({ DATABASE_URL: databaseUrl, SIMULATE: '0', CLIENT_DIR: '/nonexistent', LOG_LEVEL: 'error' });
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const ingest = new Latencies();
  const reads = new Latencies();
  const writes = new Latencies();
  const samples: Array<{ minute: number; rss: number; heap: number; eldP99: number; eldMax: number; clients: number; backlog: number }> = [];

  // 50 screens: socket clients in two processes, county view
  const subs: Subscription[] = Array.from({ length: 50 }, () => ({ scope: 'county' }));
  const children = [0, 1].map(() => fork(fileURLToPath(new URL('./liveClients.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' }));
  const next = (c: ReturnType<typeof fork>) => new Promise<FromClients>((resolve) => c.once('message', (m) => resolve(m as FromClients)));
  await Promise.all(children.map((c, k) => {
    const ready = next(c);
    c.send({ type: 'start', url: server.url, token: viewer.token, subs: subs.filter((_, i) => i % 2 === k) } satisfies ToClients);
    return ready;
  }));
  children.forEach((c) => c.send({ type: 'measure' } satisfies ToClients));

  const end = Date.now() + minutes * 60_000;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, f: () => void) => timers.push(setInterval(f, ms));
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => { inflight.add(p); p.finally(() => inflight.delete(p)); };

  // phones: each every 10 s, spread evenly (2,911 per 10 s ≈ 291 requests/s), walking inside its grid
  let turn = 0;
  let acks: Array<[string, number]> = [];
  every(100, () => {
    // what was acknowledged since the last turn, for the screens' commit → arrival times
    if (acks.length) { const m = { type: 'acks', acks } satisfies ToClients; children.forEach((c) => c.send(m)); acks = []; }
    const n = Math.round(phones.length / 100);
    for (let i = 0; i < n; i++) {
      const p = phones[turn++ % phones.length];
      p.lon = Math.min(p.x1, Math.max(p.x0, p.lon + (Math.random() - 0.5) * 4e-4));
      p.lat = Math.min(p.y1, Math.max(p.y0, p.lat + (Math.random() - 0.5) * 4e-4));
      const at = Date.now();
      const q = `id=${p.deviceId}&key=${p.key}&timestamp=${at}&lat=${p.lat.toFixed(6)}&lon=${p.lon.toFixed(6)}&speed=1.2&batt=80`;
      track(timed(ingest, async () => {
        const res = await fetch(`${server.url}/osmand?${q}`);
        if (res.ok) acks.push([`${p.workerId}|${at}`, Date.now()]);
        return res;
      }));
    }
  });
  // each screen polls the KPIs and the ticker every 30 s and the heatmap every minute: 5 reads/s in all
  every(200, () => {
    const r = Math.random();
    const url = r < 0.4 ? '/api/kpis' : r < 0.8 ? '/api/incidents/recent?priority=1&limit=20' : '/api/incidents/heatmap?zoom=10';
    track(timed(reads, () => fetch(`${server.url}${url}`, { headers: auth(viewer.token) })));
  });
  // dispatchers: a new incident every 5 s, and the one before it accepted
  let lastIncident: number | null = null;
  every(5000, () => {
    const p = phones[(Math.random() * phones.length) | 0];
    const body = { category: 'C01', source: 'command_center', description: '负载测试：道路积水', lon: p.lon, lat: p.lat };
    track((async () => {
      const t = performance.now();
      try {
        const res = await fetch(`${server.url}/api/incidents`, { method: 'POST', headers: { ...auth(dispatcher.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const json = await res.json() as { incident?: { id: number } };
        writes.add(performance.now() - t, res.ok);
        if (lastIncident !== null) {
          const id = lastIncident;
          await timed(writes, () => fetch(`${server.url}/api/incidents/${id}/transitions`, { method: 'POST', headers: { ...auth(dispatcher.token), 'content-type': 'application/json' }, body: JSON.stringify({ action: 'accept', note: '受理' }) }));
        }
        lastIncident = json.incident?.id ?? null;
      } catch { writes.add(performance.now() - t, false); }
    })());
  });
  const started = Date.now();
  every(60_000, () => {
    track((async () => {
      const res = await fetch(`${server.url}/api/admin/metrics`, { headers: auth(admin.token) });
      if (!res.ok) return;
      const m = await res.json();
      samples.push({ minute: Math.round((Date.now() - started) / 60_000), rss: m.rssMb, heap: m.heapUsedMb, eldP99: m.eventLoopDelayMs.p99, eldMax: m.eventLoopDelayMs.max, clients: m.live.clients, backlog: m.ingest.stateBacklog });
    })());
  });

  await new Promise((r) => setTimeout(r, end - Date.now()));
  timers.forEach(clearInterval);
  await Promise.allSettled([...inflight]);
  const results = await Promise.all(children.map((c) => { const r = next(c); c.send({ type: 'stop' } satisfies ToClients); return r; }));
  const live = results.flatMap((r) => (r.type === 'result' ? r.latencies : []));
  await server.stop();

  table(`Load: ${minutes} min — 2,911 phones every 10 s (OsmAnd), 50 screens connected and polling, an incident every 5 s`, [
    ingest.row('OsmAnd position'), reads.row('screen reads'), writes.row('incident report / accept'),
    { requests: 'live push (commit → screen)', count: live.length, errors: 0, 'p50 ms': median(live).toFixed(1), 'p99 ms': percentile(live, 99).toFixed(1) },
  ]);
  table('Server over time (from /api/admin/metrics each minute; event-loop delay over the minute before)', samples.map((s) => ({
    minute: s.minute, 'RSS MB': s.rss, 'heap MB': s.heap, 'event-loop delay p99 ms': s.eldP99, 'max ms': s.eldMax, 'socket clients': s.clients, 'state backlog': s.backlog,
  })));
}
