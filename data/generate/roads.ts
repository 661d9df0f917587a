// Base-map features of the demo: water bodies and a road network, all GENERATED (no real road or
// river geometry is available offline). Names are those of real features of the area (石梁河水库,
// 安峰山水库, 西双湖, 石安河, 蔷薇河, 鲁兰河, 玉带河, 310国道 …) but their courses here are plausible
// inventions drawn through the town centres, not surveyed lines. Everything is in projected metres.
import { Rng } from './random.js';
import { dist, IndexedRing, project, segmentDistance, segmentIntersection, type XY } from './geo.js';
import type { Township } from './sources.js';

export type RoadClass = 'expressway' | 'national' | 'provincial' | 'county' | 'street' | 'village';

export interface Road { kind: 'road'; class: RoadClass; name: string; line: XY[] }
export interface Water { kind: 'water'; class: 'reservoir' | 'river'; name: string; line?: XY[]; polygon?: XY[] }

export interface Junction { p: XY; a: number; b: number }

export interface BaseNetwork {
  roads: Road[];
  water: Water[];
  lakes: IndexedRing[];
  /** Points inside reservoirs get fewer fine cells (large, empty grids on water). */
  inWater(p: XY): boolean;
}

const ll = (lon: number, lat: number): XY => project(lon, lat);

/** Midpoint displacement: a natural-looking meander through the waypoints. */
export function wiggle(points: XY[], rng: Rng, amp: number, step: number): XY[] {
  const out: XY[] = [points[0]];
  const rec = (a: XY, b: XY, depth: number) => {
    const len = dist(a, b);
    if (len <= step || depth > 12) { out.push(b); return; }
    const nx = -(b[1] - a[1]) / len;
    const ny = (b[0] - a[0]) / len;
    const off = rng.normal(0, amp * len * 0.5);
    const m: XY = [(a[0] + b[0]) / 2 + nx * off, (a[1] + b[1]) / 2 + ny * off];
    rec(a, m, depth + 1);
    rec(m, b, depth + 1);
  };
  for (let i = 1; i < points.length; i++) rec(points[i - 1], points[i], 0);
  return out;
}

/** Chaikin corner cutting: smooth curves for expressways and rivers. */
export function smooth(line: XY[], rounds = 2): XY[] {
  let cur = line;
  for (let r = 0; r < rounds; r++) {
    const next: XY[] = [cur[0]];
    for (let i = 0; i < cur.length - 1; i++) {
      const [a, b] = [cur[i], cur[i + 1]];
      next.push([a[0] * 0.75 + b[0] * 0.25, a[1] * 0.75 + b[1] * 0.25], [a[0] * 0.25 + b[0] * 0.75, a[1] * 0.25 + b[1] * 0.75]);
    }
    next.push(cur[cur.length - 1]);
    cur = next;
  }
  return cur;
}

/** An irregular lake outline: an ellipse with a few random harmonics on its radius. */
function blob(centre: XY, rx: number, ry: number, rot: number, rng: Rng, n = 48): XY[] {
  const harm = [2, 3, 5, 7].map((k) => ({ k, a: rng.range(0.03, 0.12) / (k / 2), ph: rng.range(0, Math.PI * 2) }));
  const out: XY[] = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * Math.PI * 2;
    let f = 1;
    for (const h of harm) f += h.a * Math.sin(h.k * t + h.ph);
    const x = Math.cos(t) * rx * f;
    const y = Math.sin(t) * ry * f;
    out.push([centre[0] + x * Math.cos(rot) - y * Math.sin(rot), centre[1] + x * Math.sin(rot) + y * Math.cos(rot)]);
  }
  out.push(out[0]);
  return out;
}

export function generateWater(rng: Rng): Water[] {
  const water: Water[] = [
    // The big reservoir on the northern border (the real one straddles the border; clipped later).
    { kind: 'water', class: 'reservoir', name: '石梁河水库', polygon: blob(ll(118.828, 34.772), 4600, 2500, 0.25, rng) },
    { kind: 'water', class: 'reservoir', name: '安峰山水库', polygon: blob(ll(118.697, 34.441), 2500, 1500, -0.5, rng) },
    // The lake on the western edge of the county seat that gives 西双湖社区 its name.
    { kind: 'water', class: 'reservoir', name: '西双湖', polygon: blob(ll(118.722, 34.534), 850, 560, 1.2, rng, 32) },
  ];
  const river = (name: string, pts: XY[], amp: number) =>
    water.push({ kind: 'water', class: 'river', name, line: smooth(wiggle(pts, rng, amp, 350), 2) });
  // 石安河: the canal from 石梁河水库 south to 安峰山水库, west of the county seat.
  river('石安河', [ll(118.812, 34.752), ll(118.778, 34.680), ll(118.733, 34.600), ll(118.712, 34.520), ll(118.700, 34.458), ll(118.698, 34.447)], 0.10);
  // 蔷薇河 flows north-east through the eastern lobe towards 临洪口.
  river('蔷薇河', [ll(118.905, 34.320), ll(118.955, 34.420), ll(119.000, 34.480), ll(119.050, 34.520), ll(119.130, 34.575)], 0.12);
  // 鲁兰河 rises west of the seat and joins 蔷薇河.
  river('鲁兰河', [ll(118.660, 34.560), ll(118.750, 34.578), ll(118.840, 34.585), ll(118.905, 34.560), ll(118.950, 34.495), ll(119.002, 34.482)], 0.10);
  // 玉带河: a small urban river from 西双湖 through the seat.
  river('玉带河', [ll(118.730, 34.531), ll(118.745, 34.525), ll(118.765, 34.517), ll(118.795, 34.512), ll(118.822, 34.500)], 0.06);
  return water;
}

/** Main roads through the town centres. Waypoints are town codes or [lon, lat] beyond the border. */
function mainRoutes(): { class: RoadClass; name: string; via: (string | XY)[] }[] {
  return [
    { class: 'expressway', name: 'G30连霍高速', via: [[118.36, 34.515], [118.52, 34.545], [118.66, 34.572], [118.76, 34.566], [118.86, 34.600], [118.96, 34.628], [119.02, 34.640]] },
    { class: 'expressway', name: 'G25长深高速', via: [[118.545, 34.76], [118.588, 34.640], [118.628, 34.540], [118.650, 34.420], [118.675, 34.30]] },
    { class: 'national', name: '310国道', via: [[118.37, 34.488], '320722203', '320722205', '320722001', '320722401', '320722207', '320722101', [118.975, 34.596], '320722103', [119.15, 34.565]] },
    { class: 'national', name: '233国道', via: [[118.93, 34.83], [118.905, 34.760], '320722104', '320722105', '320722001', '320722002', '320722113', [118.90, 34.30]] },
    { class: 'provincial', name: '245省道', via: [[118.47, 34.76], '320722109', '320722108', '320722107', '320722402', '320722001'] },
    { class: 'provincial', name: '323省道', via: [[118.37, 34.61], '320722115', '320722114', '320722107', '320722110', '320722105', '320722101'] },
    { class: 'provincial', name: '236省道', via: [[118.42, 34.40], '320722203', '320722111', '320722112', '320722113', '320722200', '320722103'] },
    { class: 'provincial', name: '242省道', via: ['320722001', '320722111', [118.60, 34.36]] },
  ];
}

const STREETS_EW = ['北辰路', '人民路', '牛山路', '解放路', '晶都大道', '幸福路', '南环路'];
const STREETS_NS = ['西双湖大道', '青松路', '和平路', '利民路', '海陵路', '振兴路', '水晶大道', '东环路'];

/** Roads between towns, the county seat's street grid; village roads are added after the partition. */
/**
 * Roads do not cross reservoirs: the stretch inside a lake is pushed sideways (perpendicular to the
 * crossing, towards the nearer shore) until it runs along the shore.
 */
export function detour(line: XY[], lakes: IndexedRing[], margin = 150): XY[] {
  let out = line;
  for (const lake of lakes) {
    const inside = out.map((p) => lake.contains(p));
    if (!inside.some(Boolean)) continue;
    const first = inside.indexOf(true);
    const last = inside.lastIndexOf(true);
    const a = out[Math.max(0, first - 1)];
    const b = out[Math.min(out.length - 1, last + 1)];
    const len = dist(a, b) || 1;
    const n: XY = [-(b[1] - a[1]) / len, (b[0] - a[0]) / len];
    const cx = (lake.minX + lake.maxX) / 2;
    const cy = (lake.minY + lake.maxY) / 2;
    const mid = out[Math.floor((first + last) / 2)];
    const sign = (mid[0] - cx) * n[0] + (mid[1] - cy) * n[1] >= 0 ? 1 : -1;
    out = out.map((p, i) => {
      if (i < first || i > last) return p;
      let q = p;
      for (let k = 0; k < 400 && (lake.contains(q) || lake.boundaryDistance(q) < margin); k++) q = [q[0] + sign * n[0] * 50, q[1] + sign * n[1] * 50];
      return q;
    });
    out = smooth(out, 1);
  }
  return out;
}

export function generateRoads(townships: Township[], rng: Rng, lakes: IndexedRing[] = []): Road[] {
  const byCode = new Map(townships.map((t) => [t.code, t]));
  const roads: Road[] = [];
  const adjacentPairs = new Set<string>();
  for (const r of mainRoutes()) {
    // Routes pass near, not exactly through, the town centres (the county seat is not a star).
    const pts = r.via.map((w): XY => {
      if (typeof w !== 'string') return ll(w[0], w[1]);
      const c = byCode.get(w)!.centreXY;
      const j = w === '320722001' ? 600 : 220;
      return [c[0] + rng.range(-j, j), c[1] + rng.range(-j, j)];
    });
    r.via.forEach((w, i) => {
      const n = r.via[i + 1];
      if (typeof w === 'string' && typeof n === 'string') adjacentPairs.add([w, n].sort().join());
    });
    const line = r.class === 'expressway'
      ? smooth(wiggle(pts, rng, 0.05, 1500), 3)
      : smooth(wiggle(pts, rng, r.class === 'national' ? 0.08 : 0.11, 500), 1);
    roads.push({ kind: 'road', class: r.class, name: r.name, line: detour(line, lakes) });
  }
  // County roads (县道): short links between neighbouring towns not yet joined by a main road.
  const pairs: { a: Township; b: Township; d: number }[] = [];
  for (let i = 0; i < townships.length; i++) {
    for (let j = i + 1; j < townships.length; j++) {
      const d = dist(townships[i].centreXY, townships[j].centreXY);
      if (d < 16000 && !adjacentPairs.has([townships[i].code, townships[j].code].sort().join())) pairs.push({ a: townships[i], b: townships[j], d });
    }
  }
  pairs.sort((p, q) => p.d - q.d);
  let xNo = 201;
  const linkedCount = new Map<string, number>();
  for (const p of pairs) {
    // Skip a link nearly parallel to an existing road (a town already reachable that way).
    const mid: XY = [(p.a.centreXY[0] + p.b.centreXY[0]) / 2, (p.a.centreXY[1] + p.b.centreXY[1]) / 2];
    if (nearestOnRoads(roads, mid).d < p.d * 0.22) continue;
    if ((linkedCount.get(p.a.code) ?? 0) >= 3 || (linkedCount.get(p.b.code) ?? 0) >= 3) continue;
    linkedCount.set(p.a.code, (linkedCount.get(p.a.code) ?? 0) + 1);
    linkedCount.set(p.b.code, (linkedCount.get(p.b.code) ?? 0) + 1);
    roads.push({ kind: 'road', class: 'county', name: `县道X${xNo++}`, line: detour(smooth(wiggle([p.a.centreXY, p.b.centreXY], rng, 0.14, 400), 1), lakes) });
    if (xNo > 224) break;
  }
  // The county seat: a slightly rotated, irregular street grid.
  const seat = byCode.get('320722001')!.centreXY;
  const rot = (7 * Math.PI) / 180;
  const toWorld = (u: number, v: number): XY => [seat[0] + u * Math.cos(rot) - v * Math.sin(rot), seat[1] + u * Math.sin(rot) + v * Math.cos(rot)];
  const ew = [2300, 1550, 850, 200, -500, -1250, -2050];
  const ns = [-2500, -1800, -1100, -400, 300, 1000, 1800, 2650];
  ew.forEach((v0, i) => {
    const v = v0 + rng.range(-120, 120);
    const u0 = -2700 + rng.range(-400, 200) + (i === 0 || i === ew.length - 1 ? 700 : 0);
    const u1 = 2800 + rng.range(-200, 500) - (i === 0 || i === ew.length - 1 ? 700 : 0);
    const pts: XY[] = [];
    for (let u = u0; u <= u1; u += 700) pts.push(toWorld(u, v + rng.range(-40, 40)));
    roads.push({ kind: 'road', class: 'street', name: STREETS_EW[i], line: detour(smooth(pts, 2), lakes, 60) });
  });
  ns.forEach((u0, i) => {
    const u = u0 + rng.range(-120, 120);
    const v0 = -2400 + rng.range(-300, 300) + (i === 0 || i === ns.length - 1 ? 600 : 0);
    const v1 = 2500 + rng.range(-300, 300) - (i === 0 || i === ns.length - 1 ? 600 : 0);
    const pts: XY[] = [];
    for (let v = v0; v <= v1; v += 700) pts.push(toWorld(u + rng.range(-40, 40), v));
    roads.push({ kind: 'road', class: 'street', name: STREETS_NS[i], line: detour(smooth(pts, 2), lakes, 60) });
  });
  return roads;
}

export function generateBaseNetwork(townships: Township[], seed: number): BaseNetwork {
  const water = generateWater(Rng.derive(seed, 'water'));
  const lakes = water.filter((w) => w.polygon).map((w) => new IndexedRing(w.polygon!.slice(0, -1), 1000));
  const roads = generateRoads(townships, Rng.derive(seed, 'roads'), lakes);
  return { roads, water, lakes, inWater: (p) => lakes.some((l) => l.contains(p)) };
}

/** Nearest point on any of the roads (optionally a filtered set). */
export function nearestOnRoads(roads: Road[], p: XY, filter?: (r: Road) => boolean): { d: number; q: XY; road: number; angle: number } {
  let best = { d: Infinity, q: p, road: -1, angle: 0 };
  roads.forEach((r, ri) => {
    if (filter && !filter(r)) return;
    for (let i = 1; i < r.line.length; i++) {
      const s = segmentDistance(p, r.line[i - 1], r.line[i]);
      if (s.d < best.d) best = { d: s.d, q: s.q, road: ri, angle: Math.atan2(r.line[i][1] - r.line[i - 1][1], r.line[i][0] - r.line[i - 1][0]) };
    }
  });
  return best;
}

/** Village roads: from each village centre to the nearest road, meandering a little. */
export function villageRoads(roads: Road[], villages: { name: string; centre: XY }[], seed: number, lakes: IndexedRing[] = []): Road[] {
  const rng = Rng.derive(seed, 'village-roads');
  const out: Road[] = [];
  for (const v of villages) {
    const near = nearestOnRoads([...roads, ...out], v.centre);
    if (near.d < 200 || near.d > 6000) continue;
    if (lakes.some((l) => l.contains(v.centre))) continue;
    out.push({ kind: 'road', class: 'village', name: `${v.name}通村路`, line: detour(wiggle([v.centre, near.q], rng, 0.18, 250), lakes) });
  }
  return out;
}

/** Crossings between roads (not counting a village road's end on the road it joins). */
export function junctions(roads: Road[]): Junction[] {
  const cell = 1500;
  const buckets = new Map<string, [number, number][]>();
  roads.forEach((r, ri) => {
    for (let i = 1; i < r.line.length; i++) {
      const a = r.line[i - 1];
      const b = r.line[i];
      for (let bx = Math.floor(Math.min(a[0], b[0]) / cell); bx <= Math.floor(Math.max(a[0], b[0]) / cell); bx++) {
        for (let by = Math.floor(Math.min(a[1], b[1]) / cell); by <= Math.floor(Math.max(a[1], b[1]) / cell); by++) {
          const k = `${bx},${by}`;
          let list = buckets.get(k);
          if (!list) buckets.set(k, (list = []));
          list.push([ri, i]);
        }
      }
    }
  });
  const found = new Map<string, Junction>();
  for (const list of buckets.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [ra, ia] = list[x];
        const [rb, ib] = list[y];
        if (ra === rb) continue;
        const A = roads[ra].line;
        const B = roads[rb].line;
        const hit = segmentIntersection(A[ia - 1], A[ia], B[ib - 1], B[ib]);
        if (!hit) continue;
        const key = `${Math.min(ra, rb)}:${Math.max(ra, rb)}:${Math.round(hit.p[0] / 50)}:${Math.round(hit.p[1] / 50)}`;
        if (!found.has(key)) found.set(key, { p: hit.p, a: Math.min(ra, rb), b: Math.max(ra, rb) });
      }
    }
  }
  return [...found.values()].sort((p, q) => p.a - q.a || p.b - q.b || p.p[0] - q.p[0] || p.p[1] - q.p[1]);
}

/** For each cell-graph edge (site a → site b), the cost multiplier of the lines it crosses. */
export function barrierMultipliers(lines: { line: XY[]; weight: number }[], a: Int32Array, b: Int32Array, sites: XY[]): Float64Array {
  const cell = 1000;
  const buckets = new Map<string, [number, number][]>();
  lines.forEach((l, li) => {
    for (let i = 1; i < l.line.length; i++) {
      const p = l.line[i - 1];
      const q = l.line[i];
      for (let bx = Math.floor(Math.min(p[0], q[0]) / cell); bx <= Math.floor(Math.max(p[0], q[0]) / cell); bx++) {
        for (let by = Math.floor(Math.min(p[1], q[1]) / cell); by <= Math.floor(Math.max(p[1], q[1]) / cell); by++) {
          const k = `${bx},${by}`;
          let list = buckets.get(k);
          if (!list) buckets.set(k, (list = []));
          list.push([li, i]);
        }
      }
    }
  });
  const out = new Float64Array(a.length).fill(1);
  for (let e = 0; e < a.length; e++) {
    const p = sites[a[e]];
    const q = sites[b[e]];
    const seen = new Set<number>();
    let m = 1;
    for (let bx = Math.floor(Math.min(p[0], q[0]) / cell); bx <= Math.floor(Math.max(p[0], q[0]) / cell); bx++) {
      for (let by = Math.floor(Math.min(p[1], q[1]) / cell); by <= Math.floor(Math.max(p[1], q[1]) / cell); by++) {
        for (const [li, i] of buckets.get(`${bx},${by}`) ?? []) {
          if (seen.has(li)) continue;
          if (segmentIntersection(p, q, lines[li].line[i - 1], lines[li].line[i])) { seen.add(li); m = Math.max(m, lines[li].weight); }
        }
      }
    }
    out[e] = m;
  }
  return out;
}
