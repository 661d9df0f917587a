// Saving a shared-vertex move that touches 3–6 grids: time from request to commit (the response)
// and to the broadcast reaching a connected client.
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';
import { median, percentile, table } from './stats.js';

export async function benchGridEdits(db: Database, n = 40) {
  const app = await buildApp({ db, live: { timers: false } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const u = await createUser(db.pool, 'editor');
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: TEST_PASSWORD, bearer: true }) });
  const token = (await login.json()).token as string;
  const socket = io(base, { transports: ['websocket'], auth: { token } });
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
  let waiting: ((at: number) => void) | null = null;
  socket.on('grids-changed', () => { const at = performance.now(); waiting?.(at); waiting = null; });

  // Interior vertices shared by 3–6 grids, spread over the county.
  const { rows: vertices } = await db.pool.query(`
    WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
    pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g)
    SELECT ST_X(p) AS x, ST_Y(p) AS y, array_agg(DISTINCT id) AS grids
    FROM pts, c WHERE NOT ST_DWithin(p, c.b, 0.001)
    GROUP BY ST_X(p), ST_Y(p), p HAVING count(DISTINCT id) BETWEEN 3 AND 6
    ORDER BY md5(ST_X(p)::text || ST_Y(p)::text) LIMIT $1`, [n * 2]);
  const commit: number[] = [];
  const broadcast: number[] = [];
  const touched: number[] = [];
  let refused = 0;
  for (const v of vertices) {
    if (commit.length >= n) break;
    const { rows: changes } = await db.pool.query(`
      SELECT g.id, g.version AS "baseVersion",
        ST_AsGeoJSON(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
          SELECT CASE WHEN ST_X(d.geom) = $2 AND ST_Y(d.geom) = $3 THEN ST_SetSRID(ST_MakePoint($2 + 0.00005, $3 + 0.00003), 4326) ELSE d.geom END
          FROM ST_DumpPoints(ST_ExteriorRing(g.geom)) d ORDER BY d.path))), 4326), 9)::json AS geometry
      FROM grids g WHERE g.id = ANY($1::int[]) AND ST_NumInteriorRings(g.geom) = 0`, [v.grids, v.x, v.y]);
    if (changes.length !== v.grids.length) continue;
    const got = new Promise<number>((r) => { waiting = r; });
    const t0 = performance.now();
    const res = await fetch(`${base}/api/grids/changes`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ reason: '性能测试：移动共享节点', changes }),
    });
    const t1 = performance.now();
    await res.arrayBuffer();
    if (res.status !== 200) { waiting = null; refused++; continue; }
    const t2 = await Promise.race([got, new Promise<number>((r) => setTimeout(() => r(NaN), 5000))]);
    commit.push(t1 - t0);
    broadcast.push(t2 - t0);
    touched.push(changes.length);
  }
  table(`Saving a shared-vertex move (${Math.min(...touched)}–${Math.max(...touched)} grids, median ${median(touched)}) on the real PostGIS, ${commit.length} saves`, [
    { measure: 'request → commit (response)', 'median ms': median(commit).toFixed(1), 'p95 ms': percentile(commit, 95).toFixed(1) },
    { measure: 'request → broadcast at a client', 'median ms': median(broadcast).toFixed(1), 'p95 ms': percentile(broadcast, 95).toFixed(1) },
    { measure: 'refused by validation (skipped)', 'median ms': String(refused), 'p95 ms': '' },
  ]);
  socket.close();
  await app.close();
}
