// Heatmap endpoint at county zoom: median server time beside the same SQL run directly.
import { viewerHeaders } from './auth.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { heatCell, heatmapSql } from '../../server/routes/incidents.js';
import { incidentWhere, timeWindow } from '../../server/domain/incidentFilter.js';
import type { Database } from '../../server/db/pool.js';
import { median, ms, percentile, sideBySide, table } from './stats.js';

const get = (url: string, agent: http.Agent) => new Promise<number>((resolve, reject) => {
  http.get(url, { agent, headers: { ...viewerHeaders, 'accept-encoding': 'gzip' } }, (res) => {
    let n = 0;
    res.on('data', (c) => { n += c.length; });
    res.on('end', () => resolve(n));
  }).on('error', reject);
});

export async function benchHeatmap(db: Database, n = 30) {
  const app = await buildApp({ db, live: { timers: false } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { rows: [{ latest }] } = await db.pool.query('SELECT max(reported_at) AS latest FROM incidents');
  const rows = [];
  for (const days of [1, 7, 30]) {
    const to = new Date(latest.getTime() + 1000);
    const from = new Date(to.getTime() - days * 86_400_000);
    const url = `${base}/api/incidents/heatmap?zoom=9&from=${from.toISOString()}&to=${to.toISOString()}`;
    const params: unknown[] = [];
    const where = incidentWhere({}, timeWindow({ from: from.toISOString(), to: to.toISOString() }, 30), params);
    params.push(heatCell(9));
    const sql = heatmapSql(where, `$${params.length}`);
    const bytes = await get(url, agent);
    const { rows: [{ n: count }] } = await db.pool.query(`SELECT count(*)::int AS n FROM incidents i WHERE ${where}`, params.slice(0, -1));
    const [tApi, tSql] = await sideBySide(n, () => get(url, agent), () => db.pool.query(sql, params));
    rows.push({
      window: `${days} d`, incidents: count, 'gzip bytes': bytes,
      'SQL median': ms(median(tSql)), 'API median': ms(median(tApi)), 'API p95': ms(percentile(tApi, 95)),
      ratio: (median(tApi) / median(tSql)).toFixed(2),
    });
  }
  table('GET /api/incidents/heatmap at county zoom (z9, ~1.2 km bins) beside the same SQL through pg', rows);
  agent.destroy();
  await app.close();
}
