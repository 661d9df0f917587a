// Tiles or GeoJSON for each map layer? For the views the map shows — the whole county on a 1920×1080
// screen and a street view (z15) of the same size at the county seat — what the client loads today
// (GeoJSON / TopoJSON / heatmap bins, one request per layer) beside the vector tiles covering the
// same view (512-px tiles, as MapLibre requests them): gzip bytes, requests, and the server time to
// answer all of them, uncached, with six at a time as a browser does. In-process (inject): the
// figures are the server's and the payload's, not the network's.
import type { Database } from '../../server/db/pool.js';
import { buildApp } from '../../server/app.js';
import tilesRoutes from '../../server/routes/tiles.js';
import { createUser } from '../support/users.js';
import { median, table } from './stats.js';

const SEAT: [number, number] = [118.76, 34.52];
const W = 1920;
const H = 1080;

const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI);
const lonToX = (lon: number, z: number) => ((lon + 180) / 360) * 2 ** z;
const latToY = (lat: number, z: number) => (0.5 - mercY(lat)) * 2 ** z;

/** The 512-px tiles at zoom floor(z) under a W×H view centred at c (map zoom z, 512-px world). */
function tilesFor(c: [number, number], z: number): Array<[number, number, number]> {
  const tz = Math.floor(z);
  const scale = 2 ** (z - tz) * 512; // pixels per tile at this map zoom
  const cx = lonToX(c[0], tz);
  const cy = latToY(c[1], tz);
  const out: Array<[number, number, number]> = [];
  for (let x = Math.floor(cx - W / 2 / scale); x <= Math.floor(cx + W / 2 / scale); x++) {
    for (let y = Math.floor(cy - H / 2 / scale); y <= Math.floor(cy + H / 2 / scale); y++) out.push([tz, x, y]);
  }
  return out;
}

function viewBbox(c: [number, number], z: number): [number, number, number, number] {
  const span = W / 512 / 2 ** z * 360;
  const yc = mercY(c[1]);
  const dy = H / 512 / 2 ** z;
  const lat = (m: number) => (Math.atan(Math.sinh(2 * Math.PI * m)) * 180) / Math.PI;
  return [c[0] - span / 2, lat(yc - dy / 2), c[0] + span / 2, lat(yc + dy / 2)];
}

export async function benchClientLayers(db: Database, runs = 5) {
  // The app as served (its caches warm, as for the second viewer on), and the tile routes alone
  // with the tile cache off (as for the first viewer after a change).
  const app = await buildApp({ db });
  await app.ready();
  const bare = (await import('fastify')).default();
  bare.decorate('db', db);
  await bare.register(tilesRoutes, { cacheBytes: 0 });
  await bare.ready();
  const user = await createUser(db.pool, 'viewer');
  const { token } = await app.issueToken(user.id, 'api', 1, 'bench');
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };

  const { rows: [c] } = await db.pool.query(`SELECT ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1 FROM regions WHERE kind = 'county'`);
  const zx = Math.log2(W / ((c.x1 - c.x0) / 360 * 512));
  const zy = Math.log2(H / ((mercY(c.y1) - mercY(c.y0)) * 512));
  const countyZoom = Math.min(zx, zy) - 0.1;
  const views = [
    { name: `county (z${countyZoom.toFixed(1)})`, center: [(c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2] as [number, number], zoom: countyZoom },
    { name: 'street (z15)', center: SEAT, zoom: 15 },
  ];

  /** Fetches the URLs six at a time; returns gzip bytes and wall time. */
  const fetchAll = async (urls: string[], server: { inject: typeof app.inject } = app) => {
    const t0 = performance.now();
    let bytes = 0;
    let i = 0;
    const worker = async () => {
      while (i < urls.length) {
        const res = await server.inject({ method: 'GET', url: urls[i++], headers });
        if (res.statusCode >= 400) throw new Error(`${res.statusCode} ${urls[i - 1]}: ${res.body.slice(0, 200)}`);
        bytes += res.rawPayload.length;
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    return { bytes, ms: performance.now() - t0 };
  };
  const measure = async (urls: string[], server: { inject: typeof app.inject } = app) => {
    await fetchAll(urls, server);
    const times: number[] = [];
    let bytes = 0;
    for (let k = 0; k < runs; k++) { const r = await fetchAll(urls, server); times.push(r.ms); bytes = r.bytes; }
    return { bytes, ms: median(times), requests: urls.length };
  };

  const rows: Array<Record<string, string | number>> = [];
  for (const v of views) {
    const bbox = viewBbox(v.center, v.zoom).map((n) => n.toFixed(5)).join(',');
    const tiles = tilesFor(v.center, v.zoom);
    const tileUrls = (layer: string) => tiles.map(([z, x, y]) => `/tiles/${layer}/${z}/${x}/${y}.mvt`);
    const heatZoom = Math.round(v.zoom);
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const layers: Array<[string, string[], string]> = [
      ['grids', ['/api/grids?format=topojson'], 'grids'],
      ['regions', ['/api/regions?level=township', '/api/regions?level=village'], 'regions'],
      ['cameras', ['/api/cameras'], 'cameras'],
      v.zoom < 14
        ? ['incidents (30 days, heatmap bins)', [`/api/incidents/heatmap?zoom=${heatZoom}&from=${from}`], 'incidents']
        : ['incidents (30 days, points)', [`/api/incidents?bbox=${bbox}&from=${from}`], 'incidents'],
    ];
    for (const [name, apiUrls, tileLayer] of layers) {
      const a = await measure(apiUrls);
      const t = await measure(tileUrls(tileLayer));
      const cold = await measure(tileUrls(tileLayer), bare);
      rows.push({
        view: v.name, layer: name,
        'today: requests': a.requests, 'today: KB gzip': (a.bytes / 1024).toFixed(1), 'today: ms': a.ms.toFixed(1),
        'tiles: requests': t.requests, 'tiles: KB gzip': (t.bytes / 1024).toFixed(1), 'tiles: ms': t.ms.toFixed(1), 'tiles uncached: ms': cold.ms.toFixed(1),
        smaller: a.bytes <= t.bytes ? 'today' : 'tiles', faster: a.ms <= t.ms ? 'today' : 'tiles',
      });
    }
  }
  table('Map layers: what the client loads today beside vector tiles for the same view (1920×1080; medians; server time in-process, six requests at a time; "tiles" from the warm tile cache)', rows);
  await bare.close();
  await app.close();
}
