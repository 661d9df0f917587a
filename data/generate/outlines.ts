// Grid outlines from the cell partition, pure JS. A grid is a set of whole Voronoi cells; its outline
// is made of the cell edges it does not share with itself. Those edges form arcs between junctions
// (where three or more grids meet); each arc is shared by exactly two grids, so smoothing or
// simplifying the arc once and using it for both keeps the partition free of gaps and overlaps
// (what TopoJSON does). Smoothing removes the cell-scale sawtooth that would betray the method.
import type { Cells } from './cells.js';
import { segmentIntersection, type XY } from './geo.js';

export interface OutlineOptions {
  /** Laplacian smoothing passes on arc interiors (junctions stay fixed). */
  smoothPasses?: number;
  /** Douglas–Peucker tolerance in metres applied to arcs after smoothing. */
  simplify?: number;
}

export interface GridOutlines {
  /** Per label: rings (projected metres), the first counter-clockwise = outer, then holes. */
  rings: XY[][][];
  /** Number of arcs whose smoothing was undone because it would have made boundaries cross. */
  reverted: number;
}

/** Builds outlines for labels 0..k-1 (label per cell). */
export function gridOutlines(cells: Cells, label: ArrayLike<number>, k: number, opts: OutlineOptions = {}): GridOutlines {
  const passes = opts.smoothPasses ?? 2;
  const tol = opts.simplify ?? 0;
  // Vertex ids by exact coordinates (adjacent Voronoi cells share bit-identical vertices).
  const vid = new Map<string, number>();
  const pos: XY[] = [];
  const idOf = (p: XY) => {
    const key = `${p[0]},${p[1]}`;
    let id = vid.get(key);
    if (id === undefined) { id = pos.length; vid.set(key, id); pos.push([p[0], p[1]]); }
    return id;
  };
  // Directed cell edges (cells are counter-clockwise: the cell lies to the left of each edge).
  const owner = new Map<number, number>();
  const dkey = (a: number, b: number) => a * 4194304 + b;
  const cellEdges: [number, number, number][] = [];
  for (let i = 0; i < cells.n; i++) {
    const ring = cells.polygons[i];
    const ids: number[] = [];
    for (let q = 0; q < ring.length - 1; q++) ids.push(idOf(ring[q]));
    for (let q = 0; q < ids.length; q++) {
      const a = ids[q];
      const b = ids[(q + 1) % ids.length];
      if (a === b) continue;
      owner.set(dkey(a, b), i);
      cellEdges.push([a, b, i]);
    }
  }
  // Boundary edges: the reverse edge belongs to another label (or to nobody: the bounding box).
  const boundary: [number, number, number][] = [];
  const undirected = new Map<number, [number, number]>();
  for (const [a, b, i] of cellEdges) {
    const o = owner.get(dkey(b, a));
    if (o !== undefined && label[o] === label[i]) continue;
    boundary.push([a, b, label[i]]);
    const u = a < b ? dkey(a, b) : dkey(b, a);
    if (!undirected.has(u)) undirected.set(u, [Math.min(a, b), Math.max(a, b)]);
  }
  // Arc interiors are vertices of degree 2 in the undirected boundary graph.
  const nbrs = new Map<number, number[]>();
  for (const [a, b] of undirected.values()) {
    (nbrs.get(a) ?? nbrs.set(a, []).get(a)!).push(b);
    (nbrs.get(b) ?? nbrs.set(b, []).get(b)!).push(a);
  }
  const original = pos.map((p) => [p[0], p[1]] as XY);
  // Vertices on the bounding box stay put, so the partition keeps covering the whole box.
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of pos) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y); }
  const pinned = (v: number) => pos[v][0] === minX || pos[v][0] === maxX || pos[v][1] === minY || pos[v][1] === maxY;
  const fixed = new Set<number>();
  for (const v of nbrs.keys()) if (nbrs.get(v)!.length !== 2 || pinned(v)) fixed.add(v);
  const movable = [...nbrs.keys()].filter((v) => !fixed.has(v));
  for (let pass = 0; pass < passes; pass++) {
    const next = new Map<number, XY>();
    for (const v of movable) {
      const [a, b] = nbrs.get(v)!;
      next.set(v, [0.5 * pos[v][0] + 0.25 * (pos[a][0] + pos[b][0]), 0.5 * pos[v][1] + 0.25 * (pos[a][1] + pos[b][1])]);
    }
    for (const [v, p] of next) pos[v] = p;
  }
  // Arcs (chains of degree-2 vertices between junctions), for simplification and crossing repair.
  const arcs = collectArcs(nbrs, fixed);
  const removed = new Set<number>();
  if (tol > 0) {
    for (const arc of arcs) {
      const keep = douglasPeucker(arc.map((v) => pos[v]), tol);
      arc.forEach((v, i) => { if (!keep[i]) removed.add(v); });
    }
  }
  // Undo smoothing/simplification on arcs whose segments now cross another boundary segment.
  let reverted = 0;
  for (let round = 0; round < 5; round++) {
    const bad = crossingArcs(arcs, pos, removed);
    if (!bad.size) break;
    for (const ai of bad) {
      for (const v of arcs[ai]) { pos[v] = original[v]; removed.delete(v); }
      reverted++;
    }
  }
  // Chain each label's directed boundary edges into rings, skipping removed vertices.
  const out: XY[][][] = Array.from({ length: k }, () => []);
  const byLabel: [number, number][][] = Array.from({ length: k }, () => []);
  for (const [a, b, l] of boundary) byLabel[l].push([a, b]);
  for (let l = 0; l < k; l++) {
    const rings = chainRings(byLabel[l], pos);
    const kept = rings.map((r) => r.filter((v) => !removed.has(v)).map((v) => pos[v]));
    // Outer ring first (largest positive area).
    kept.sort((p, q) => signedArea(q) - signedArea(p));
    out[l] = kept.map((r) => [...r, r[0]]);
  }
  return { rings: out, reverted };
}

function collectArcs(nbrs: Map<number, number[]>, fixed: Set<number>): number[][] {
  const arcs: number[][] = [];
  const seen = new Set<string>();
  const ek = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`);
  const isJunction = (v: number) => fixed.has(v);
  const starts = [...nbrs.keys()].filter(isJunction).sort((a, b) => a - b);
  const walk = (start: number, first: number) => {
    const arc = [start, first];
    seen.add(ek(start, first));
    let prev = start;
    let cur = first;
    while (!isJunction(cur) && cur !== start) {
      const [a, b] = nbrs.get(cur)!;
      const nx = a === prev ? b : a;
      seen.add(ek(cur, nx));
      arc.push(nx);
      prev = cur;
      cur = nx;
    }
    arcs.push(arc);
  };
  for (const s of starts) for (const n of nbrs.get(s)!) if (!seen.has(ek(s, n))) walk(s, n);
  // Closed loops without any junction (an island grid inside another).
  for (const v of [...nbrs.keys()].sort((a, b) => a - b)) {
    const [n] = nbrs.get(v)!;
    if (!seen.has(ek(v, n))) walk(v, n);
  }
  return arcs;
}

/** Keeps flags for a polyline: endpoints always kept. */
function douglasPeucker(pts: XY[], tol: number): boolean[] {
  const keep = new Array<boolean>(pts.length).fill(false);
  keep[0] = keep[pts.length - 1] = true;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop()!;
    if (j <= i + 1) continue;
    const [ax, ay] = pts[i];
    const [bx, by] = pts[j];
    const len = Math.hypot(bx - ax, by - ay);
    let best = -1;
    let bestD = -1;
    for (let m = i + 1; m < j; m++) {
      const d = len === 0 ? Math.hypot(pts[m][0] - ax, pts[m][1] - ay) : Math.abs((bx - ax) * (ay - pts[m][1]) - (ax - pts[m][0]) * (by - ay)) / len;
      if (d > bestD) { bestD = d; best = m; }
    }
    if (bestD > tol) { keep[best] = true; stack.push([i, best], [best, j]); }
  }
  // A closed loop must keep at least a triangle.
  if (pts.length > 3 && keep.filter(Boolean).length < 4 && pts[0] === pts[pts.length - 1]) {
    keep[Math.floor(pts.length / 3)] = keep[Math.floor((2 * pts.length) / 3)] = true;
  }
  return keep;
}

/** Indices of arcs with a segment crossing a segment of another arc (or itself, non-adjacent). */
function crossingArcs(arcs: number[][], pos: XY[], removed: Set<number>): Set<number> {
  const cell = 400;
  const segs: { a: XY; b: XY; arc: number; va: number; vb: number }[] = [];
  arcs.forEach((arc, ai) => {
    const kept = arc.filter((v, i) => i === 0 || i === arc.length - 1 || !removed.has(v));
    for (let i = 1; i < kept.length; i++) segs.push({ a: pos[kept[i - 1]], b: pos[kept[i]], arc: ai, va: kept[i - 1], vb: kept[i] });
  });
  const buckets = new Map<string, number[]>();
  segs.forEach((s, si) => {
    for (let bx = Math.floor(Math.min(s.a[0], s.b[0]) / cell); bx <= Math.floor(Math.max(s.a[0], s.b[0]) / cell); bx++) {
      for (let by = Math.floor(Math.min(s.a[1], s.b[1]) / cell); by <= Math.floor(Math.max(s.a[1], s.b[1]) / cell); by++) {
        const k = `${bx},${by}`;
        (buckets.get(k) ?? buckets.set(k, []).get(k)!).push(si);
      }
    }
  });
  const bad = new Set<number>();
  for (const list of buckets.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const s = segs[list[x]];
        const t = segs[list[y]];
        // Segments sharing a vertex touch legitimately.
        if (s.va === t.va || s.va === t.vb || s.vb === t.va || s.vb === t.vb) continue;
        if (segmentIntersection(s.a, s.b, t.a, t.b)) { bad.add(s.arc); bad.add(t.arc); }
      }
    }
  }
  return bad;
}

/**
 * Chains directed edges (region on the left) into rings. Where a vertex has several outgoing
 * edges (regions touching at a point), the walk takes the first edge clockwise from the way back,
 * which keeps every ring simple.
 */
function chainRings(edges: [number, number][], pos: XY[]): number[][] {
  const out = new Map<number, number[]>();
  for (const [a, b] of edges) (out.get(a) ?? out.set(a, []).get(a)!).push(b);
  const used = new Set<string>();
  const rings: number[][] = [];
  const sorted = [...edges].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [a0, b0] of sorted) {
    if (used.has(`${a0},${b0}`)) continue;
    const ring = [a0];
    let prev = a0;
    let cur = b0;
    used.add(`${a0},${b0}`);
    let guard = 0;
    while (cur !== a0 && guard++ < 1e6) {
      ring.push(cur);
      const options = (out.get(cur) ?? []).filter((n) => !used.has(`${cur},${n}`));
      if (!options.length) break;
      let nxt = options[0];
      if (options.length > 1) {
        const back = Math.atan2(pos[prev][1] - pos[cur][1], pos[prev][0] - pos[cur][0]);
        let best = Infinity;
        for (const n of options) {
          let ang = back - Math.atan2(pos[n][1] - pos[cur][1], pos[n][0] - pos[cur][0]);
          while (ang <= 0) ang += 2 * Math.PI;
          if (ang < best) { best = ang; nxt = n; }
        }
      }
      used.add(`${cur},${nxt}`);
      prev = cur;
      cur = nxt;
    }
    rings.push(ring);
  }
  return rings;
}

export function signedArea(ring: XY[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}
