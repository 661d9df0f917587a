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

  // Interior nodes shared by 3 or more grids, spread over the county. A save moves one node, or
  // several nodes of one grid at once (its shared edges move), so 3 to 6 grids change.
  const { rows: nodes } = await db.pool.query<{ x: number; y: number; grids: number[] }>(`
    WITH c AS (SELECT ST_Boundary(geom) AS b FROM regions WHERE kind = 'county'),
    pts AS (SELECT g.id, (ST_DumpPoints(ST_ExteriorRing(g.geom))).geom AS p FROM grids g WHERE ST_NumInteriorRings(g.geom) = 0)
    SELECT ST_X(p) AS x, ST_Y(p) AS y, array_agg(DISTINCT id) AS grids
    FROM pts, c WHERE NOT ST_DWithin(p, c.b, 0.001)
    GROUP BY ST_X(p), ST_Y(p), p HAVING count(DISTINCT id) >= 3
    ORDER BY md5(ST_X(p)::text || ST_Y(p)::text)`);
  const nodesOf = new Map<number, typeof nodes>();
  for (const v of nodes) {
    for (const g of v.grids) {
      const list = nodesOf.get(g);
      if (list) list.push(v); else nodesOf.set(g, [v]);
    }
  }
  const used = new Set<number>();
  /** Nodes of one grid whose grids together number `want` (3–6), none touched by an earlier save. */
  const pick = (want: number) => {
    for (const start of nodes) {
      if (start.grids.some((g) => used.has(g))) continue;
      const chosen = [start];
      const grids = new Set(start.grids);
      for (const v of nodesOf.get(start.grids[0]) ?? []) {
        if (grids.size >= want) break;
        if (chosen.includes(v) || v.grids.some((g) => used.has(g))) continue;
        const union = new Set([...grids, ...v.grids]);
        if (union.size <= want) { chosen.push(v); for (const g of v.grids) grids.add(g); }
      }
      if (grids.size === want) { for (const g of grids) used.add(g); return { chosen, grids: [...grids] }; }
    }
    return null;
  };
  const commit: number[] = [];
  const broadcast: number[] = [];
  const touched: number[] = [];
  const bySize = new Map<number, number[]>();
  let refused = 0;
  for (let i = 0; commit.length < n && i < n * 3; i++) {
    const move = pick(3 + (i % 4));
    if (!move) continue;
    const { rows: changes } = await db.pool.query(`
      SELECT g.id, g.version AS "baseVersion",
        ST_AsGeoJSON(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
          SELECT CASE WHEN m.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(m.x + 0.00005, m.y + 0.00003), 4326) ELSE d.geom END
          FROM ST_DumpPoints(ST_ExteriorRing(g.geom)) d
          LEFT JOIN unnest($2::float8[], $3::float8[]) m(x, y) ON ST_X(d.geom) = m.x AND ST_Y(d.geom) = m.y
          ORDER BY d.path))), 4326), 9)::json AS geometry
      FROM grids g WHERE g.id = ANY($1::int[])`, [move.grids, move.chosen.map((v) => v.x), move.chosen.map((v) => v.y)]);
    if (changes.length !== move.grids.length) continue;
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
    const sized = bySize.get(changes.length);
    if (sized) sized.push(t1 - t0); else bySize.set(changes.length, [t1 - t0]);
  }
  table(`Saving a shared-vertex move (${Math.min(...touched)}–${Math.max(...touched)} grids, median ${median(touched)}) on the real PostGIS, ${commit.length} saves`, [
    { measure: 'request → commit (response)', 'median ms': median(commit).toFixed(1), 'p95 ms': percentile(commit, 95).toFixed(1) },
    { measure: 'request → broadcast at a client', 'median ms': median(broadcast).toFixed(1), 'p95 ms': percentile(broadcast, 95).toFixed(1) },
    ...[...bySize].sort(([a], [b]) => a - b).map(([size, t]) => (
      { measure: `  of which ${size} grids (${t.length} saves) → commit`, 'median ms': median(t).toFixed(1), 'p95 ms': percentile(t, 95).toFixed(1) })),
    { measure: 'refused by validation (skipped)', 'median ms': String(refused), 'p95 ms': '' },
  ]);
  socket.close();
  await app.close();
}
