// The township → village → grid hierarchy, pure (no I/O): grown over the fine cells' adjacency graph
// (cells.ts) from seeds. Every region is a set of whole cells grown from one seed along graph edges,
// so it is connected by construction; the SQL step (regions.ts) only clips the outlines to the real
// county boundary and derives villages and townships as unions of grids.
import { apportion, Rng } from './random.js';
import { dist, type XY } from './geo.js';
import type { Cells } from './cells.js';

export type { Cells } from './cells.js';

// ---------------------------------------------------------------------------------------------------
// Region growing

/** Binary min-heap of (key, node, label) triples in parallel arrays. */
class Heap {
  private k: number[] = [];
  private v: number[] = [];
  private l: number[] = [];
  get size(): number { return this.k.length; }
  push(key: number, node: number, label: number): void {
    const { k, v, l } = this;
    let i = k.length;
    k.push(key); v.push(node); l.push(label);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p] <= key) break;
      k[i] = k[p]; v[i] = v[p]; l[i] = l[p];
      i = p;
    }
    k[i] = key; v[i] = node; l[i] = label;
  }
  pop(): [number, number, number] {
    const { k, v, l } = this;
    const top: [number, number, number] = [k[0], v[0], l[0]];
    const lk = k.pop()!; const lv = v.pop()!; const ll = l.pop()!;
    const n = k.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && k[c + 1] < k[c]) c++;
        if (k[c] >= lk) break;
        k[i] = k[c]; v[i] = v[c]; l[i] = l[c];
        i = c;
      }
      k[i] = lk; v[i] = lv; l[i] = ll;
    }
    return top;
  }
}

export interface GrowInput {
  cells: Cells;
  /** Cells that may be labelled (a parent region). */
  members: number[];
  /** Seed cell of each region (distinct members). */
  seeds: number[];
  /** Target size of each region, in units of `measure`. */
  targets: number[];
  /** Size of each cell (e.g. area, or 1 to balance cell counts). */
  measure: ArrayLike<number>;
  /** Cost of crossing each edge (length × noise × barriers). */
  edgeCost: Float64Array;
  iterations?: number;
}

/**
 * Multi-source Dijkstra: a cell takes the label of the region whose seed reaches it first, each
 * region starting at its own time offset. Labels flow only along edges from an already-labelled cell,
 * so every region stays connected. The offsets are then adjusted for a number of rounds so region
 * sizes approach their targets. Offsets (additive weights) rather than per-region speeds keep
 * regions compact: a region cannot outrun its neighbours through a corridor between them.
 * Returns, for every cell index, the region index (or -1 for non-members).
 */
export function growRegions(input: GrowInput): Int32Array {
  const { cells, members, seeds, targets, measure, edgeCost } = input;
  const iterations = input.iterations ?? 30;
  const k = seeds.length;
  const inSet = new Uint8Array(cells.n);
  for (const i of members) inSet[i] = 1;
  for (const s of seeds) if (!inSet[s]) throw new Error('seed outside members');
  if (new Set(seeds).size !== k) throw new Error('duplicate seeds');
  // Typical radius of each region (in cost units ≈ metres), the scale of its offset steps.
  let totalMeasure = 0;
  let totalArea = 0;
  let totalCost = 0;
  let edges = 0;
  for (const i of members) {
    totalMeasure += measure[i];
    totalArea += cells.area[i];
    for (let q = cells.adjStart[i]; q < cells.adjStart[i + 1]; q++) { totalCost += edgeCost[cells.adjEdge[q]] / cells.edgeLen[cells.adjEdge[q]]; edges++; }
  }
  const costPerMetre = edges ? totalCost / edges : 1;
  const radius = targets.map((t) => Math.sqrt(((t / totalMeasure) * totalArea) / Math.PI) * costPerMetre);
  const offset = new Float64Array(k);
  let best: Int32Array | null = null;
  let bestErr = Infinity;
  const label = new Int32Array(cells.n);
  const dist = new Float64Array(cells.n);
  for (let it = 0; it < iterations; it++) {
    label.fill(-1);
    dist.fill(Infinity);
    const heap = new Heap();
    // Seeds are their own regions' from the start, whatever their offset.
    seeds.forEach((s, r) => { dist[s] = offset[r]; label[s] = r; });
    seeds.forEach((s, r) => {
      for (let q = cells.adjStart[s]; q < cells.adjStart[s + 1]; q++) {
        const v = cells.adjNode[q];
        if (!inSet[v] || label[v] !== -1) continue;
        const nd = offset[r] + edgeCost[cells.adjEdge[q]];
        if (nd < dist[v]) { dist[v] = nd; heap.push(nd, v, r); }
      }
    });
    while (heap.size) {
      const [d, u, r] = heap.pop();
      if (label[u] !== -1) continue;
      label[u] = r;
      for (let q = cells.adjStart[u]; q < cells.adjStart[u + 1]; q++) {
        const v = cells.adjNode[q];
        if (!inSet[v] || label[v] !== -1) continue;
        const nd = d + edgeCost[cells.adjEdge[q]];
        if (nd < dist[v]) { dist[v] = nd; heap.push(nd, v, r); }
      }
    }
    // Members unreachable inside the parent (cut off by the outline) join a labelled neighbour.
    fillUnlabelled(cells, members, label);
    const size = new Float64Array(k);
    for (const i of members) if (label[i] >= 0) size[label[i]] += measure[i];
    let err = 0;
    for (let r = 0; r < k; r++) err = Math.max(err, Math.abs(Math.log(Math.max(size[r], 1e-9) / targets[r])));
    if (err < bestErr) { bestErr = err; best = label.slice(); }
    if (err < 0.04) break;
    const eta = 0.6 * Math.pow(0.93, it) + 0.08;
    for (let r = 0; r < k; r++) {
      const ratio = Math.log(Math.max(size[r], targets[r] * 0.02) / targets[r]);
      offset[r] += eta * radius[r] * Math.max(-1.5, Math.min(1.5, ratio));
    }
  }
  return best!;
}

function fillUnlabelled(cells: Cells, members: number[], label: Int32Array): void {
  let pending = members.filter((i) => label[i] === -1);
  while (pending.length) {
    const next: number[] = [];
    const updates: [number, number][] = [];
    for (const u of pending) {
      let got = -1;
      for (let q = cells.adjStart[u]; q < cells.adjStart[u + 1] && got < 0; q++) got = label[cells.adjNode[q]];
      if (got >= 0) updates.push([u, got]); else next.push(u);
    }
    if (!updates.length) {
      // Isolated from every labelled cell (only possible for a member with no edges): nearest site.
      for (const u of next) {
        let bestD = Infinity;
        let bestL = 0;
        for (const m of members) if (label[m] >= 0) { const d = dist(cells.sites[u], cells.sites[m]); if (d < bestD) { bestD = d; bestL = label[m]; } }
        label[u] = bestL;
      }
      return;
    }
    for (const [u, l] of updates) label[u] = l;
    pending = next;
  }
}

/** Graph distances (Dijkstra over edge lengths) from several sources, restricted to members. */
function graphDistances(cells: Cells, inSet: Uint8Array, sources: number[], out: Float64Array): void {
  const heap = new Heap();
  for (const s of sources) { if (out[s] > 0) { out[s] = 0; } heap.push(0, s, 0); }
  while (heap.size) {
    const [d, u] = heap.pop();
    if (d > out[u]) continue;
    for (let q = cells.adjStart[u]; q < cells.adjStart[u + 1]; q++) {
      const v = cells.adjNode[q];
      if (!inSet[v]) continue;
      const nd = d + cells.edgeLen[cells.adjEdge[q]];
      if (nd < out[v]) { out[v] = nd; heap.push(nd, v, 0); }
    }
  }
}

/**
 * Farthest-point sampling over the graph: each new seed is the member farthest (in graph distance,
 * with a little jitter) from all seeds so far. `fixed` seeds are kept and count as already chosen.
 */
export function farthestPointSeeds(cells: Cells, members: number[], count: number, rng: Rng, fixed: number[] = [], pool?: number[]): number[] {
  const inSet = new Uint8Array(cells.n);
  for (const i of members) inSet[i] = 1;
  // Slivers at the outline (little area inside, one neighbour) make poor seeds: a region started
  // there can hardly grow. Use them only when nothing else is left.
  const good = (pool ?? members).filter((i) => cells.adjStart[i + 1] - cells.adjStart[i] >= 3 && cells.area[i] > 0.5 * cells.polygonArea[i]);
  const candidates = good.length >= count ? good : (pool ?? members);
  const d = new Float64Array(cells.n).fill(Infinity);
  const seeds: number[] = [];
  if (fixed.length) graphDistances(cells, inSet, fixed, d);
  const jitter = new Float64Array(cells.n);
  for (const i of candidates) jitter[i] = 0.85 + 0.3 * rng.next();
  while (seeds.length < count) {
    let bestI = -1;
    let bestV = -1;
    if (!fixed.length && !seeds.length) {
      bestI = candidates[Math.floor(rng.next() * candidates.length)];
    } else {
      for (const i of candidates) {
        const v = d[i] * jitter[i];
        if (v > bestV && d[i] > 0) { bestV = v; bestI = i; }
      }
    }
    if (bestI < 0) throw new Error(`cannot place ${count} seeds among ${candidates.length} cells`);
    seeds.push(bestI);
    graphDistances(cells, inSet, [bestI], d);
  }
  return seeds;
}

/** Moves each region's seed to its member cell nearest the region's (measure-weighted) centroid. */
export function recentreSeeds(cells: Cells, label: Int32Array, members: number[], k: number, measure: ArrayLike<number>, keep: Set<number> = new Set(), old: number[] = []): number[] {
  const sx = new Float64Array(k), sy = new Float64Array(k), sw = new Float64Array(k);
  for (const i of members) {
    const r = label[i];
    if (r < 0) continue;
    const w = measure[i];
    sx[r] += cells.sites[i][0] * w; sy[r] += cells.sites[i][1] * w; sw[r] += w;
  }
  const best = new Array<number>(k).fill(-1);
  const bestD = new Float64Array(k).fill(Infinity);
  for (const i of members) {
    const r = label[i];
    if (r < 0) continue;
    const d = (cells.sites[i][0] - sx[r] / sw[r]) ** 2 + (cells.sites[i][1] - sy[r] / sw[r]) ** 2;
    if (d < bestD[r]) { bestD[r] = d; best[r] = i; }
  }
  return best.map((b, r) => (keep.has(r) ? old[r] : b));
}

// ---------------------------------------------------------------------------------------------------
// The hierarchy

export interface TownshipSpec {
  centre: XY;
  /** Relative area. */
  area: number;
  /** Township is an urban 街道 (its dense villages count as urban grids). */
  street: boolean;
  villages: VillageSpec[];
}

export interface VillageSpec {
  /** 社区 / 林场 residents' committee: small, central, several grids. */
  urban: boolean;
  /** The village of the town centre (seeded at the centre cell). */
  centre: boolean;
}

export interface PartitionOptions {
  cells: Cells;
  townships: TownshipSpec[];
  totalGrids: number;
  rng: Rng;
  /** Edge cost per level (length × noise × barriers), one array per level. */
  costs: { township: Float64Array; village: Float64Array; grid: Float64Array };
}

export interface Partition {
  township: Int32Array;   // per cell
  village: Int32Array;    // per cell, global village index (order of townships' villages)
  grid: Int32Array;       // per cell, global grid index
  /** Per grid: global village index and 1-based number within the village. */
  grids: { village: number; number: number; urban: boolean }[];
  /** Per village: number of grids. */
  gridsPerVillage: number[];
  /** Per village: seed cell (its "village centre"). */
  villageCentre: number[];
}

function nearestMember(cells: Cells, members: number[], p: XY, exclude: Set<number> = new Set()): number {
  let best = -1;
  let bestD = Infinity;
  for (const i of members) {
    if (exclude.has(i)) continue;
    const d = (cells.sites[i][0] - p[0]) ** 2 + (cells.sites[i][1] - p[1]) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}

export function partitionCounty(opts: PartitionOptions): Partition {
  const { cells, townships, totalGrids, rng, costs } = opts;
  const all = Array.from({ length: cells.n }, (_, i) => i);
  const totalArea = cells.area.reduce((a, b) => a + b, 0);

  // 1. Townships from their (fixed) town centres, balanced to their relative areas.
  const tSeeds: number[] = [];
  for (const t of townships) tSeeds.push(nearestMember(cells, all, t.centre, new Set(tSeeds)));
  const areaSum = townships.reduce((a, t) => a + t.area, 0);
  const township = growRegions({
    cells, members: all, seeds: tSeeds, targets: townships.map((t) => (t.area / areaSum) * totalArea),
    measure: cells.area, edgeCost: costs.township, iterations: 60,
  });

  // 2. Villages inside each township.
  const nVillages = townships.reduce((a, t) => a + t.villages.length, 0);
  const village = new Int32Array(cells.n).fill(-1);
  const villageCentre = new Array<number>(nVillages).fill(-1);
  const villageUrban: boolean[] = [];
  let vOffset = 0;
  townships.forEach((t, ti) => {
    const members = all.filter((i) => township[i] === ti);
    const k = t.villages.length;
    if (members.length < k) throw new Error(`township ${ti} has ${members.length} cells for ${k} villages`);
    const tArea = members.reduce((a, i) => a + cells.area[i], 0);
    const urbanIdx = t.villages.map((v, i) => (v.urban ? i : -1)).filter((i) => i >= 0);
    const ruralIdx = t.villages.map((v, i) => (v.urban ? -1 : i)).filter((i) => i >= 0);
    // Communities: ~1.3 km² in a dense 街道, larger elsewhere; the whole unit when it is alone.
    const commArea = k === 1 ? tArea : Math.min(tArea * 0.5 / Math.max(1, urbanIdx.length), (t.street && urbanIdx.length > 3 ? 1.3e6 : 2.6e6));
    const targets = new Array<number>(k);
    let urbanTotal = 0;
    for (const i of urbanIdx) { targets[i] = commArea * (0.75 + 0.5 * rng.next()); urbanTotal += targets[i]; }
    const ruralWeights = ruralIdx.map(() => 0.7 + 0.7 * rng.next());
    const ruralSum = ruralWeights.reduce((a, b) => a + b, 0);
    ruralIdx.forEach((i, q) => { targets[i] = ((tArea - urbanTotal) * ruralWeights[q]) / ruralSum; });

    // Seeds: the centre village (or first community) at the town centre; other communities packed
    // into the core around it; rural villages spread over the rest.
    const centreCell = tSeeds[ti];
    const inT = new Set(members);
    const byDist = [...members].sort((a, b) => dist(cells.sites[a], t.centre) - dist(cells.sites[b], t.centre));
    const seeds = new Array<number>(k).fill(-1);
    const first = urbanIdx.length ? urbanIdx[0] : Math.max(0, t.villages.findIndex((v) => v.centre));
    seeds[first] = centreCell;
    if (urbanIdx.length > 1) {
      let acc = 0;
      const core: number[] = [];
      for (const i of byDist) { core.push(i); acc += cells.area[i]; if (acc >= urbanTotal * 1.1 && core.length >= urbanIdx.length * 3) break; }
      const more = farthestPointSeeds(cells, members, urbanIdx.length - 1, rng, [centreCell], core);
      urbanIdx.slice(1).forEach((vi, q) => { seeds[vi] = more[q]; });
    }
    const placed = seeds.filter((s) => s >= 0);
    const rest = ruralIdx.filter((i) => seeds[i] < 0);
    if (rest.length) {
      const more = farthestPointSeeds(cells, members, rest.length, rng, placed);
      rest.forEach((vi, q) => { seeds[vi] = more[q]; });
    }
    if (!inT.has(centreCell)) throw new Error('town centre cell not in its township');
    // A few rounds of grow → move seeds to region centroids (compact, Lloyd-like), then balance.
    let label = growRegions({ cells, members, seeds, targets, measure: cells.area, edgeCost: costs.village, iterations: 12 });
    let cur = seeds;
    for (let round = 0; round < 3; round++) {
      cur = recentreSeeds(cells, label, members, k, cells.area, new Set([first]), cur);
      label = growRegions({ cells, members, seeds: cur, targets, measure: cells.area, edgeCost: costs.village, iterations: 12 });
    }
    label = growRegions({ cells, members, seeds: cur, targets, measure: cells.area, edgeCost: costs.village, iterations: 40 });
    for (const i of members) village[i] = vOffset + label[i];
    cur.forEach((s, q) => { villageCentre[vOffset + q] = s; });
    t.villages.forEach((v) => villageUrban.push(v.urban));
    vOffset += k;
  });

  // 3. Grids per village: proportional to cells (a proxy for population), communities weighted up.
  const villageCells: number[][] = Array.from({ length: nVillages }, () => []);
  for (let i = 0; i < cells.n; i++) villageCells[village[i]].push(i);
  for (let v = 0; v < nVillages; v++) if (!villageCells[v].length) throw new Error(`village ${v} has no cells`);
  const weights = villageCells.map((c, v) => c.length * (villageUrban[v] ? 1.8 : 1));
  let perVillage = apportion(weights, totalGrids, 1);
  // At most one grid per 4 cells (so grids are not single cells) and 14 grids a village.
  perVillage = capCounts(perVillage, villageCells.map((c) => Math.max(1, Math.min(14, Math.floor(c.length / 4)))));

  // Which villages' grids are urban: communities, plus dense villages of a 街道.
  const streetTownship = new Set<number>();
  townships.forEach((t, ti) => { if (t.street) streetTownship.add(ti); });
  const grid = new Int32Array(cells.n).fill(-1);
  const grids: Partition['grids'] = [];
  const ones = new Float64Array(cells.n).fill(1);
  for (let v = 0; v < nVillages; v++) {
    const members = villageCells[v];
    const k = perVillage[v];
    const vArea = members.reduce((a, i) => a + cells.area[i], 0);
    const dense = streetTownship.has(township[members[0]]) && vArea / k < 0.45e6;
    const urban = villageUrban[v] || dense;
    let label: Int32Array;
    if (k === 1) {
      label = new Int32Array(cells.n).fill(-1);
      for (const i of members) label[i] = 0;
    } else {
      let seeds = farthestPointSeeds(cells, members, k, rng, []);
      const targets = new Array<number>(k).fill(members.length / k);
      label = growRegions({ cells, members, seeds, targets, measure: ones, edgeCost: costs.grid, iterations: 10 });
      for (let round = 0; round < 2; round++) {
        seeds = recentreSeeds(cells, label, members, k, ones);
        label = growRegions({ cells, members, seeds, targets, measure: ones, edgeCost: costs.grid, iterations: 10 });
      }
      label = growRegions({ cells, members, seeds, targets, measure: ones, edgeCost: costs.grid, iterations: 25 });
    }
    const base = grids.length;
    // Number grids within the village from its centre outwards, so -01 is the central one.
    const centroid = new Array(k).fill(null).map(() => [0, 0, 0]);
    for (const i of members) { const c = centroid[label[i]]; c[0] += cells.sites[i][0]; c[1] += cells.sites[i][1]; c[2]++; }
    const vc = cells.sites[villageCentre[v]];
    const order = centroid.map((c, r) => ({ r, d: Math.hypot(c[0] / c[2] - vc[0], c[1] / c[2] - vc[1]), a: Math.atan2(c[1] / c[2] - vc[1], c[0] / c[2] - vc[0]) }))
      .sort((a, b) => a.d - b.d);
    const rank = new Array<number>(k);
    order.forEach((o, q) => { rank[o.r] = q; });
    for (let q = 0; q < k; q++) grids.push({ village: v, number: q + 1, urban });
    for (const i of members) grid[i] = base + rank[label[i]];
  }
  return { township, village, grid, grids, gridsPerVillage: perVillage, villageCentre };
}

/** Keeps every village's grid count ≤ its cap, moving the excess to villages with most room. */
function capCounts(counts: number[], cellsPer: number[]): number[] {
  const out = counts.slice();
  let excess = 0;
  for (let v = 0; v < out.length; v++) if (out[v] > cellsPer[v]) { excess += out[v] - cellsPer[v]; out[v] = cellsPer[v]; }
  while (excess > 0) {
    let best = -1;
    let bestRoom = 0;
    for (let v = 0; v < out.length; v++) { const room = cellsPer[v] / (out[v] + 1); if (out[v] < cellsPer[v] && room > bestRoom) { bestRoom = room; best = v; } }
    if (best < 0) throw new Error('not enough cells for the requested number of grids');
    out[best]++; excess--;
  }
  return out;
}

/** Checks that every region (by label array) is connected through the cell graph. Used by tests. */
export function isConnected(cells: Cells, label: ArrayLike<number>, region: number): boolean {
  const members: number[] = [];
  for (let i = 0; i < cells.n; i++) if (label[i] === region) members.push(i);
  if (!members.length) return false;
  const seen = new Set<number>([members[0]]);
  const stack = [members[0]];
  while (stack.length) {
    const u = stack.pop()!;
    for (let q = cells.adjStart[u]; q < cells.adjStart[u + 1]; q++) {
      const v = cells.adjNode[q];
      if (label[v] === region && !seen.has(v)) { seen.add(v); stack.push(v); }
    }
  }
  return seen.size === members.length;
}
