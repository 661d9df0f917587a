// The patrol simulator: the 2,911 workers move through their grids during their working hours and
// report every N seconds through the OsmAnd HTTP endpoint, exactly as the Traccar Client app does,
// each phone with its own device key.
import http from 'node:http';
import type pg from 'pg';
import type { Polygon } from 'geojson';
import { Walker } from './walker.js';
import { incidentSimulation } from './incidents.js';
import type { IncidentService } from '../routes/incidentWorkflow.js';
import { issueDeviceKeys } from '../domain/devices.js';

export interface SimulatorOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** Seconds between two reports of one worker. */
  intervalSec?: number;
  /** Report around the clock instead of only during each worker's shift. */
  allDay?: boolean;
  seed?: number;
  timezone?: string;
  log?: (msg: string) => void;
  /** When given (in-process), new incidents are reported through it: about `incidentsPerHour` an hour. */
  incidents?: IncidentService;
  incidentsPerHour?: number;
}

export interface Simulator { stop(): Promise<void>; stats: { sent: number; ok: number; failed: number; silent: number; incidents: number } }

interface Row { id: number; device_id: string; grid: Polygon; neighbours: Polygon[] | null; shift_start: string; shift_end: string }

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export async function startSimulator(pool: pg.Pool, opts: SimulatorOptions): Promise<Simulator> {
  const interval = (opts.intervalSec ?? 10) * 1000;
  const { rows } = await pool.query<Row>(`
    SELECT w.id, w.device_id, ST_AsGeoJSON(g.geom, 6)::json AS grid, w.shift_start::text, w.shift_end::text,
      (SELECT json_agg(ST_AsGeoJSON(n.geom, 6)::json) FROM grids n WHERE n.id <> g.id AND ST_Touches(n.geom, g.geom)) AS neighbours
    FROM workers w JOIN grids g ON g.id = w.grid_id WHERE w.active AND w.device_id IS NOT NULL ORDER BY w.id`);
  // The simulated phones get keys like any phone: issued through the device service (one audited
  // transaction), which ends whatever keys these devices had.
  const issued = await issueDeviceKeys(pool, rows.map((r) => r.device_id), { userId: null, name: 'simulator' });
  const keys = new Map(issued.map((k) => [k.deviceId, k.key]));
  const walkers = rows.map((r) => new Walker({
    workerId: r.id, deviceId: r.device_id, grid: r.grid, neighbours: r.neighbours ?? [],
    shiftStart: minutes(r.shift_start), shiftEnd: minutes(r.shift_end),
  }, opts.seed ?? 20201076));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const stats = { sent: 0, ok: 0, failed: 0, silent: 0, incidents: 0 };
  const incidents = opts.incidents ? incidentSimulation(opts.incidents, opts.seed ?? 20201076, opts.incidentsPerHour ?? 60) : null;
  const tz = opts.timezone ?? 'Asia/Shanghai';
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false });
  const localMinute = (d: Date) => { const [h, m] = fmt.format(d).split(':').map(Number); return (h % 24) * 60 + m; };
  // Each worker reports at its own phase within the interval, so load is spread evenly.
  const phase = walkers.map((_, i) => (i * interval) / walkers.length);
  const last = walkers.map(() => Date.now());
  let cycleStart = Date.now();
  let next = 0;
  let stopped = false;
  let inFlight = 0;

  const send = (w: Walker, fix: NonNullable<ReturnType<Walker['step']>>, now: number) => new Promise<void>((resolve) => {
    const q = new URLSearchParams({
      id: w.spec.deviceId, key: keys.get(w.spec.deviceId)!, timestamp: String(Math.floor(now / 1000)), lat: fix.lat.toFixed(6), lon: fix.lon.toFixed(6),
      speed: (fix.speed / 0.514444).toFixed(2), bearing: String(fix.heading), accuracy: String(fix.accuracy), batt: String(fix.battery),
    });
    inFlight++;
    stats.sent++;
    const req = http.request(`${opts.baseUrl}/osmand?${q}`, { method: 'POST', agent }, (res) => {
      res.resume();
      if (res.statusCode === 200) stats.ok++; else stats.failed++;
      res.on('end', () => { inFlight--; resolve(); });
    });
    req.on('error', () => { stats.failed++; inFlight--; resolve(); });
    req.end();
  });

  const timer = setInterval(() => {
    if (stopped) return;
    const now = Date.now();
    const due = now - cycleStart;
    const minute = localMinute(new Date(now));
    while (next < walkers.length && phase[next] <= due) {
      const w = walkers[next];
      const dt = (now - last[next]) / 1000;
      last[next] = now;
      if (opts.allDay || w.onShift(minute)) {
        const fix = w.step(dt, now);
        if (fix) void send(w, fix, now); else stats.silent++;
      }
      next++;
    }
    if (next >= walkers.length) { next = 0; cycleStart += interval; if (now - cycleStart > interval) cycleStart = now; }
    if (incidents) {
      // reports come from workers on shift (or anyone, around the clock)
      incidents.tick(opts.allDay ? walkers : walkers.filter((w) => w.onShift(minute)), now);
      stats.incidents = incidents.stats.reported;
    }
  }, 50);
  opts.log?.(`simulator: ${walkers.length} workers reporting every ${interval / 1000} s to ${opts.baseUrl}/osmand${opts.allDay ? ' (all day)' : ' during their shifts'}`);

  return {
    stats,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
      if (incidents) { await incidents.settle(); stats.incidents = incidents.stats.reported; }
      agent.destroy();
    },
  };
}
