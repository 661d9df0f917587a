// GET /api/grids (all 1,076): bytes on the wire and server time beside the same SQL run raw.
import { viewerHeaders } from './auth.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { buildApp } from '../../server/app.js';
import { GRIDS_SQL } from '../../server/routes/grids.js';
import type { Database } from '../../server/db/pool.js';
import { kb, median, ms, percentile, sideBySide, table, timeIt } from './stats.js';

interface Got { status: number; bytes: number; body: Buffer; encoding?: string }

function get(url: string, headers: Record<string, string>, agent: http.Agent): Promise<Got> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { ...viewerHeaders, ...headers }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, bytes: body.length, body, encoding: res.headers['content-encoding'] });
      });
    }).on('error', reject);
  });
}

export async function benchGrids(db: Database, n = 40) {
  const app = await buildApp({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const bump = () => db.pool.query(`UPDATE data_revisions SET rev = rev + 1 WHERE name = 'grids'`);

  // Bytes on the wire for the whole county
  const sizes: Array<Record<string, string | number>> = [];
  for (const format of ['geojson', 'topojson']) {
    const url = `${base}/api/grids?format=${format}`;
    const identity = await get(url, { 'accept-encoding': 'identity' }, agent);
    const gz = await get(url, { 'accept-encoding': 'gzip' }, agent);
    const br = await get(url, { 'accept-encoding': 'br' }, agent);
    if (format === 'geojson') JSON.parse(zlib.gunzipSync(gz.body).toString()); // sanity: decodes
    sizes.push({ format, uncompressed: kb(identity.bytes), gzip: kb(gz.bytes), brotli: kb(br.bytes) });
  }
  table('GET /api/grids — all 1,076 grids, bytes on the wire', sizes);

  // Server time: uncached (bbox of the whole county → built per request; identity so no compression),
  // beside the same SQL run directly through pg.
  const county = '118.3,34.3,119.1,34.9';
  const args = [118.3, 34.3, 119.1, 34.9];
  const [tApi, tSql] = await sideBySide(n,
    () => get(`${base}/api/grids?bbox=${county}`, { 'accept-encoding': 'identity' }, agent),
    () => db.pool.query(GRIDS_SQL, args));
  // Uncached with on-the-fly gzip, and the cached precompressed responses
  const tApiGzip = await timeIt(n, () => get(`${base}/api/grids?bbox=${county}`, { 'accept-encoding': 'gzip' }, agent));
  const tRebuild = await timeIt(Math.min(n, 15), async () => { await bump(); await get(`${base}/api/grids`, { 'accept-encoding': 'gzip' }, agent); });
  const tCachedGz = await timeIt(n, () => get(`${base}/api/grids`, { 'accept-encoding': 'gzip' }, agent));
  const tCachedBr = await timeIt(n, () => get(`${base}/api/grids?format=topojson`, { 'accept-encoding': 'br' }, agent));
  const sqlMedian = median(tSql);
  table('GET /api/grids — median time (loopback, keep-alive), beside the same SQL through pg', [
    { case: 'SQL direct (pg)', median: ms(sqlMedian), p95: ms(percentile(tSql, 95)), ratio: '1.00' },
    { case: 'API uncached, identity', median: ms(median(tApi)), p95: ms(percentile(tApi, 95)), ratio: (median(tApi) / sqlMedian).toFixed(2) },
    { case: 'API uncached, gzip on the fly', median: ms(median(tApiGzip)), p95: ms(percentile(tApiGzip, 95)), ratio: (median(tApiGzip) / sqlMedian).toFixed(2) },
    { case: 'API after an edit (rebuild + precompress)', median: ms(median(tRebuild)), p95: ms(percentile(tRebuild, 95)), ratio: (median(tRebuild) / sqlMedian).toFixed(2) },
    { case: 'API cached, gzip GeoJSON', median: ms(median(tCachedGz)), p95: ms(percentile(tCachedGz, 95)), ratio: (median(tCachedGz) / sqlMedian).toFixed(2) },
    { case: 'API cached, brotli TopoJSON', median: ms(median(tCachedBr)), p95: ms(percentile(tCachedBr, 95)), ratio: (median(tCachedBr) / sqlMedian).toFixed(2) },
  ]);
  agent.destroy();
  await app.close();
}
