// Reports and the reporting path: the monthly report for all grids through the API beside its bare
// SQL, and how many incidents a second the report service commits (grid assignment, event, audit,
// duplicate hints), sequentially and with concurrency, in process.
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { reportSql, periodDays, runReport } from '../../server/routes/reports.js';
import { IncidentService } from '../../server/routes/incidentWorkflow.js';
import type { Actor } from '../../server/domain/incidentWorkflow.js';
import { createUser } from '../support/users.js';
import { median, ms, percentile, sideBySide, table } from './stats.js';

export async function benchReports(db: Database, n = 15) {
  const tz = 'Asia/Shanghai';
  const app = await buildApp({ db, live: { timers: false } });
  const u = await createUser(db.pool, 'viewer');
  const { token } = await app.issueToken(u.id, 'api', 1, 'bench');
  const headers = { authorization: `Bearer ${token}` };
  const { rows: [{ latest, total }] } = await db.pool.query('SELECT max(reported_at) AS latest, count(*)::int AS total FROM incidents');
  // the last full month before the newest incident
  const d = new Date(latest.getTime() + 8 * 3_600_000);
  const lastMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
  const { firstDay, lastDay } = periodDays('month', lastMonth);
  const yearFrom = new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const cases: { name: string; qs: string; first: string; last: string; by: 'grid' | 'township' }[] = [
    { name: `month ${firstDay.slice(0, 7)} by grid`, qs: `period=month&date=${lastMonth}&by=grid`, first: firstDay, last: lastDay, by: 'grid' },
    { name: `month ${firstDay.slice(0, 7)} by township`, qs: `period=month&date=${lastMonth}&by=township`, first: firstDay, last: lastDay, by: 'township' },
    // as many rows as one month holds with 1.3 M incidents a year (about 110k)
    { name: `12 months by grid`, qs: `from=${yearFrom}&to=${lastDay}&by=grid`, first: yearFrom, last: lastDay, by: 'grid' },
  ];
  const rows = [];
  for (const c of cases) {
    const report = await runReport(db.pool, tz, { from: c.first, to: c.last, by: c.by });
    const sql = reportSql(c.by);
    const [tApi, tSql] = await sideBySide(n,
      async () => { const r = await app.inject({ url: `/api/reports?${c.qs}`, headers }); if (r.statusCode !== 200) throw new Error(r.body); },
      () => db.pool.query(sql, [c.first, c.last, tz]));
    const tCsv = await sideBySide(Math.ceil(n / 3), () => app.inject({ url: `/api/reports?${c.qs}&format=csv`, headers }), async () => {});
    rows.push({
      report: c.name, incidents: report.total.reported, units: report.rows.length,
      'SQL median': ms(median(tSql)), 'API median': ms(median(tApi)), 'API p95': ms(percentile(tApi, 95)),
      ratio: (median(tApi) / median(tSql)).toFixed(2), 'CSV median': ms(median(tCsv[0])),
    });
  }
  table(`GET /api/reports (in process) beside its bare SQL; ${total} incidents in the database`, rows);

  // Reporting throughput through the service.
  const { rows: spots } = await db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, category FROM incidents ORDER BY id DESC LIMIT 3000`);
  const service = new IncidentService(db.pool, { timezone: tz });
  const actor: Actor = { kind: 'system', name: 'bench' };
  const { rows: [{ start }] } = await db.pool.query(`SELECT last_value AS start FROM incidents_id_seq`);
  let k = 0;
  const one = async () => {
    const s = spots[k++ % spots.length];
    await service.report(actor, { category: s.category, source: 'grid_worker', description: 'bench', lon: s.lon + 1e-5, lat: s.lat });
  };
  const through = [];
  try {
    for (const [label, count, concurrency] of [['sequential', 300, 1], ['4 at a time', 1000, 4], ['8 at a time', 1000, 8]] as const) {
      const lat: number[] = [];
      const t0 = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          const t = performance.now();
          await one();
          lat.push(performance.now() - t);
        }
      }));
      const secs = (performance.now() - t0) / 1000;
      through.push({ mode: label, incidents: count, 'incidents/s': Math.round(count / secs), 'median per report': ms(median(lat)), p95: ms(percentile(lat, 95)) });
    }
    table('POST-equivalent IncidentService.report (grid + worker assignment, event, audit, duplicate hints), committed', through);
  } finally {
    await db.pool.query('DELETE FROM incidents WHERE id > $1 AND description = $2', [start, 'bench']);
    await db.pool.query('DELETE FROM audit_log WHERE actor = $1', ['system:bench']);
    await app.close();
  }
}
