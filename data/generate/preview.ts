// Renders the generated county to a PNG for a visual check (written to /tmp).
//   npx tsx data/generate/preview.ts --layout [--seed N] [--zoom]   pure JS partition, no database
//   DATABASE_URL=... npx tsx data/generate/preview.ts [--zoom]       what is in the database
// --zoom renders the county seat only. Uses headless chromium to turn the SVG into a PNG.
import fs from 'node:fs';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { buildLayout } from './layout.js';
import { gridOutlines } from './outlines.js';
import { project, type XY } from './geo.js';
import { loadSources } from './sources.js';

interface Scene {
  grids: { rings: XY[][]; township: number; village: number; urban: boolean }[];
  villages: XY[][][];
  townships: { rings: XY[][]; name: string; label: XY }[];
  roads: { class: string; line: XY[] }[];
  water: { class: string; line?: XY[]; rings?: XY[][] }[];
  cameras: { kind: string; p: XY }[];
  outline: XY[];
  /** Layout mode: fine cells with their township, for the fill. */
  cells?: { ring: XY[]; township: number; urban: boolean }[];
}

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const zoom = args.includes('--zoom');
// --zoom [km]: width of the window around the county seat (default 13 km); --at lon,lat moves it.
const zoomKm = Number(arg('--zoom') ?? 13) || 13;

/** Grid / village / township outlines from the cell partition: boundary edges of each set of cells. */
function sceneFromLayout(seed: number): Scene {
  const L = buildLayout(seed);
  const { cells, partition } = L;
  const edgeOwners = new Map<string, { seg: [XY, XY]; cells: number[] }>();
  cells.polygons.forEach((poly, i) => {
    for (let k = 0; k < poly.length - 1; k++) {
      const a = poly[k];
      const b = poly[k + 1];
      const key = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? `${a}|${b}` : `${b}|${a}`;
      const e = edgeOwners.get(key);
      if (e) e.cells.push(i); else edgeOwners.set(key, { seg: [a, b], cells: [i] });
    }
  });
  const boundary = (label: Int32Array) => {
    const segs = new Map<number, [XY, XY][]>();
    for (const e of edgeOwners.values()) {
      const [i, j] = e.cells;
      if (j !== undefined && label[i] === label[j]) continue;
      for (const c of e.cells) { const l = label[c]; if (!segs.has(l)) segs.set(l, []); segs.get(l)!.push(e.seg); }
    }
    return segs;
  };
  const outlines = gridOutlines(cells, partition.grid, partition.grids.length, { smoothPasses: Number(arg('--smooth') ?? 2), simplify: Number(arg('--simplify') ?? 6) });
  const vSegs = boundary(partition.village);
  const tSegs = boundary(partition.township);
  let vertexSum = 0;
  let vertexMax = 0;
  for (const r of outlines.rings) { const n = r.reduce((a, x) => a + x.length - 1, 0); vertexSum += n; vertexMax = Math.max(vertexMax, n); }
  console.error(`cells ${cells.n}, grids ${partition.grids.length}, vertices/grid (before clipping) avg ${(vertexSum / outlines.rings.length).toFixed(1)} max ${vertexMax}, reverted arcs ${outlines.reverted}, timings ${JSON.stringify(L.timings)}`);
  const segRings = (m: Map<number, [XY, XY][]>) => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s.map((x) => [x[0], x[1]]));
  return {
    grids: outlines.rings.map((rings, g) => ({ rings, township: -1, village: partition.grids[g].village, urban: partition.grids[g].urban })),
    villages: segRings(vSegs) as XY[][][],
    townships: segRings(tSegs).map((rings, t) => ({ rings: rings as XY[][], name: L.src.townships[t].name, label: L.src.townships[t].centreXY })),
    roads: L.roads.map((r) => ({ class: r.class, line: r.line })),
    water: L.water.map((w) => ({ class: w.class, line: w.line, rings: w.polygon ? [w.polygon] : undefined })),
    cameras: [],
    outline: L.src.outlineXY,
    cells: cells.polygons.map((ring, i) => ({ ring, township: partition.township[i], urban: partition.grids[partition.grid[i]].urban })),
  };
}

async function sceneFromDb(url: string): Promise<Scene> {
  const pool = new pg.Pool({ connectionString: url });
  const q = async (sql: string) => (await pool.query(sql)).rows;
  const P = (c: number[][]) => c.map((p) => project(p[0], p[1]));
  const polys = (gj: { type: string; coordinates: number[][][] | number[][][][] }) =>
    gj.type === 'Polygon' ? (gj.coordinates as number[][][]).map(P) : (gj.coordinates as number[][][][]).flatMap((p) => p.map(P));
  const grids = await q(`SELECT g.id, ST_AsGeoJSON(g.geom)::json gj, (SELECT count(*) FROM regions t WHERE t.kind = 'township' AND t.id < v.parent_id)::int t, g.village_id v, g.kind FROM grids g JOIN regions v ON v.id = g.village_id ORDER BY g.id`);
  const villages = await q(`SELECT ST_AsGeoJSON(geom)::json gj FROM regions WHERE kind = 'village' ORDER BY id`);
  const towns = await q(`SELECT name, ST_AsGeoJSON(geom)::json gj, ST_X(label_point) x, ST_Y(label_point) y FROM regions WHERE kind = 'township' ORDER BY id`);
  // Greedy colouring of the township adjacency graph, so neighbours never share a colour.
  const pairs = await q(`SELECT (a.rn - 1)::int AS a, (b.rn - 1)::int AS b FROM
      (SELECT row_number() OVER (ORDER BY id) rn, geom FROM regions WHERE kind = 'township') a JOIN
      (SELECT row_number() OVER (ORDER BY id) rn, geom FROM regions WHERE kind = 'township') b ON a.rn < b.rn AND ST_Intersects(a.geom, b.geom)`);
  const colour: number[] = [];
  towns.forEach((_, i) => {
    const used = new Set(pairs.filter((p) => p.a === i || p.b === i).map((p) => colour[p.a === i ? p.b : p.a]));
    let c = 0;
    while (used.has(c)) c++;
    colour[i] = c;
  });
  const feats = await q(`SELECT kind, class, ST_AsGeoJSON(geom)::json gj FROM basemap_features ORDER BY id`);
  const cams = await q(`SELECT kind, ST_X(geom) x, ST_Y(geom) y FROM cameras`);
  await pool.end();
  const lines = (gj: { type: string; coordinates: unknown }): XY[][] =>
    gj.type === 'LineString' ? [P(gj.coordinates as number[][])] : gj.type === 'MultiLineString' ? (gj.coordinates as number[][][]).map(P) : [];
  return {
    grids: grids.map((g) => ({ rings: polys(g.gj), township: colour[g.t] + 1, village: g.v, urban: g.kind === 'urban' })),
    villages: villages.map((v) => polys(v.gj)),
    // Labels at the town centres (the seat of each township government), not at PointOnSurface.
    townships: towns.map((t) => ({ rings: polys(t.gj), name: t.name, label: loadSources().townships.find((s) => s.name === t.name)?.centreXY ?? project(t.x, t.y) })),
    roads: feats.filter((f) => f.kind === 'road').flatMap((f) => lines(f.gj).map((line) => ({ class: f.class, line }))),
    water: feats.filter((f) => f.kind === 'water').flatMap((f): Scene['water'] => (f.gj.type.endsWith('Polygon') ? [{ class: f.class, rings: polys(f.gj) }] : lines(f.gj).map((line) => ({ class: f.class, line })))),
    cameras: cams.map((c) => ({ kind: c.kind, p: project(c.x, c.y) })),
    outline: loadSources().outlineXY,
  };
}

const PALETTE = ['#f4d7a1', '#cfe5b4', '#b9d8ec', '#f1c0c7', '#d9c8ec', '#f7e69a', '#bfe3d6', '#f5c9a8', '#d0d9a3', '#c9d3f0', '#ecd0e4'];

function render(scene: Scene): string {
  const xs = scene.outline.map((p) => p[0]);
  const ys = scene.outline.map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const at = arg('--at')?.split(',').map(Number);
  const seat = at && at.length === 2 ? project(at[0], at[1]) : project(118.76495, 34.52352);
  if (zoom) [x0, x1, y0, y1] = [seat[0] - zoomKm * 500, seat[0] + zoomKm * 500, seat[1] - zoomKm * 385, seat[1] + zoomKm * 385];
  const W = 1800;
  const s = W / (x1 - x0);
  const H = Math.ceil((y1 - y0) * s);
  const X = (p: XY) => ((p[0] - x0) * s).toFixed(1);
  const Y = (p: XY) => ((y1 - p[1]) * s).toFixed(1);
  const path = (rings: XY[][]) => rings.map((r) => (r.length && Array.isArray(r[0][0]) ? '' : `M${r.map((p) => `${X(p)},${Y(p)}`).join('L')}`)).join('');
  // Layout mode gives boundary segments (pairs), DB mode gives rings; both drawn as paths.
  const segPath = (rings: XY[][]) => rings.map((r) => `M${r.map((p) => `${X(p)},${Y(p)}`).join('L')}`).join('');
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="WenQuanYi Micro Hei">`);
  out.push(`<defs><clipPath id="c"><path d="${path([scene.outline.concat([scene.outline[0]])])}"/></clipPath></defs><rect width="100%" height="100%" fill="#fff"/>`);
  out.push('<g clip-path="url(#c)">');
  // Fill: township colour by village (layout mode only has rings as segment lists, so fill by cells is not possible there).
  const isRings = scene.grids.length > 0 && scene.grids[0].township > 0;
  if (isRings) {
    scene.grids.forEach((g) => out.push(`<path d="${path(g.rings)}" fill="${PALETTE[g.township % PALETTE.length]}" fill-opacity="${g.urban ? 1 : 0.75}" fill-rule="evenodd"/>`));
  } else {
    scene.cells?.forEach((c) => out.push(`<path d="${path([c.ring])}" fill="${PALETTE[c.township % PALETTE.length]}" fill-opacity="${c.urban ? 1 : 0.75}" stroke="${zoom ? "#ccc" : PALETTE[c.township % PALETTE.length]}" stroke-width="0.5"/>`));
  }
  for (const w of scene.water) {
    if (w.rings) out.push(`<path d="${path(w.rings)}" fill="#8ec5ea"/>`);
    if (w.line) out.push(`<path d="${segPath([w.line])}" fill="none" stroke="#5aa7dd" stroke-width="${w.class === 'river' ? 2.5 : 1}"/>`);
  }
  const grid = scene.grids.map((g) => segPath(g.rings)).join('');
  out.push(`<path d="${grid}" fill="none" stroke="#777" stroke-width="${zoom ? 0.8 : 0.35}"/>`);
  out.push(`<path d="${scene.villages.map(segPath).join('')}" fill="none" stroke="#222" stroke-width="${zoom ? 1.8 : 1.1}"/>`);
  const roadStyle: Record<string, [string, number]> = { expressway: ['#e0701c', 2.6], national: ['#d4a017', 2.0], provincial: ['#d4a017', 1.6], county: ['#999', 1.2], street: ['#b05', 1.4], village: ['#bbb', 0.7] };
  for (const r of scene.roads) {
    const [c, w] = roadStyle[r.class] ?? ['#000', 1];
    out.push(`<path d="${segPath([r.line])}" fill="none" stroke="${c}" stroke-width="${w * (zoom ? 1.5 : 1)}" stroke-opacity="0.85"/>`);
  }
  const camColour: Record<string, string> = { xueliang: '#c00', cuncuntong: '#070', public: '#00c' };
  for (const c of scene.cameras) out.push(`<circle cx="${X(c.p)}" cy="${Y(c.p)}" r="${zoom ? 2.2 : 1}" fill="${camColour[c.kind]}"/>`);
  out.push(`<path d="${scene.townships.map((t) => segPath(t.rings)).join('')}" fill="none" stroke="#000" stroke-width="${zoom ? 3 : 2}"/>`);
  out.push('</g>');
  out.push(`<path d="${path([scene.outline.concat([scene.outline[0]])])}" fill="none" stroke="#000" stroke-width="2.5"/>`);
  for (const t of scene.townships) out.push(`<circle cx="${X(t.label)}" cy="${Y(t.label)}" r="3" fill="#000"/><text x="${X(t.label)}" y="${Y(t.label)}" font-size="${zoom ? 22 : 15}" text-anchor="middle" dy="-6" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">${t.name}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

const seed = Number(arg('--seed') ?? 20201076);
const scene = args.includes('--layout') ? sceneFromLayout(seed) : await sceneFromDb(process.env.DATABASE_URL ?? (() => { throw new Error('DATABASE_URL is required (or use --layout)'); })());
const svg = render(scene);
const name = `/tmp/donghai-${args.includes('--layout') ? 'layout' : 'db'}${zoom ? '-zoom' : ''}`;
fs.writeFileSync(`${name}.svg`, svg);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const m = svg.match(/width="(\d+)" height="(\d+)"/)!;
const page = await browser.newPage({ viewport: { width: Number(m[1]), height: Number(m[2]) } });
await page.setContent(svg);
await page.screenshot({ path: `${name}.png` });
await browser.close();
console.log(`${name}.png`);
