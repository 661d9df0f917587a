// Vector tiles: latency of a county-zoom (z10) and a street-zoom (z15) tile of each layer at the
// county seat (118.76, 34.52) — uncached beside the same ST_AsMVT SQL run directly through pg, and
// cached — and tiles/s under 20 concurrent clients (autocannon) over a mix of tiles.
import { viewerHeaders } from './auth.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import tilesRoutes from '../../server/routes/tiles.js';
import { mvtSql, TILE_LAYERS } from '../../server/tiles/layers.js';
import { interleaved, median, ms, percentile, table, timeIt } from './stats.js';

function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

function get(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: { ...viewerHeaders, 'accept-encoding': 'identity' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve(bytes));
    }).on('error', reject);
  });
}

async function listen(app: Awaited<ReturnType<typeof buildApp>>) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export async function benchTiles(db: Database, n = 30) {
  // Two servers: the app as served (cache on), and the tile routes alone with the cache off.
  const app = await buildApp({ db });
  const base = await listen(app);
  const bare = (await import('fastify')).default();
  bare.decorate('db', db);
  await bare.register(tilesRoutes, { cacheBytes: 0 });
  const bareBase = await listen(bare as unknown as Awaited<ReturnType<typeof buildApp>>);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const rows: Array<Record<string, string | number>> = [];
  const urls: string[] = [];
  for (const zoom of [10, 15]) {
    for (const id of Object.keys(TILE_LAYERS)) {
      const layer = TILE_LAYERS[id];
      const [z, x, y] = tileOf(118.76, 34.52, zoom);
      const path = `/tiles/${id}/${z}/${x}/${y}.mvt`;
      urls.push(path);
      const sql = mvtSql(layer);
      // the route's default incident window is the last 30 days; the raw SQL gets the same
      const params = layer.timed ? [z, x, y, new Date(Date.now() - 30 * 86_400_000), new Date(Date.now() + 60_000)] : [z, x, y];
      const bytes = await get(`${bareBase}${path}`, agent);
      // The route runs the tile query as a named (prepared) statement; both forms of the raw SQL shown.
      const [tApi, tSql, tPrepared] = await interleaved(n, [
        () => get(`${bareBase}${path}`, agent), () => db.pool.query(sql, params),
        () => db.pool.query({ name: `bench_${id}`, text: sql, values: params })]);
      await get(`${base}${path}`, agent); // fill the cache
      const tCached = await timeIt(n, () => get(`${base}${path}`, agent));
      rows.push({
        tile: `${id} z${z}`, KB: (bytes / 1024).toFixed(1),
        'SQL direct': ms(median(tSql)), 'SQL prepared': ms(median(tPrepared)), 'API uncached': ms(median(tApi)),
        ratio: (median(tApi) / median(tSql)).toFixed(2), 'ratio to prepared': (median(tApi) / median(tPrepared)).toFixed(2),
        'uncached p95': ms(percentile(tApi, 95)), 'API cached': ms(median(tCached)),
      });
    }
  }
  table('Vector tiles at the county seat — median (loopback, keep-alive, identity), uncached beside the same ST_AsMVT SQL through pg', rows);

  const load: Array<Record<string, string | number>> = [];
  for (const [name, target] of [['cached (app)', base], ['uncached (cache off)', bareBase]] as const) {
    const result = await autocannon({
      url: target, connections: 20, duration: 10, headers: viewerHeaders,
      requests: urls.map((p) => ({ method: 'GET' as const, path: p })),
    });
    load.push({ case: name, 'tiles/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, errors: result.errors + result.non2xx });
  }
  table('Tiles/s under 20 concurrent clients (the 8 tiles above in turn)', load);
  agent.destroy();
  await bare.close();
  await app.close();
}
