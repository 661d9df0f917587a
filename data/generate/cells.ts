// Fine cells, pure: points sampled inside the county with a density that is high in the county seat
// and the town centres, their Voronoi cells (d3-delaunay, in projected metres so cells are not
// stretched), which cells lie wholly inside the outline, and the cells' adjacency graph that the
// region growing of partition.ts works on.
import { Delaunay } from 'd3-delaunay';
import { fractalNoise, Rng } from './random.js';
import { dist, IndexedRing, pointInRing, ringArea, type XY } from './geo.js';

// ---------------------------------------------------------------------------------------------------
// Fine points

export interface DensityBump { xy: XY; peak: number; sigma: number }

export interface DensityModel {
  /** Points per km² far from any centre. */
  base: number;
  bumps: DensityBump[];
  /** Multiplier (≥ 0) applied on top, e.g. fewer points on reservoirs. */
  factor?: (p: XY) => number;
  noiseSeed: number;
}

export function densityAt(m: DensityModel, p: XY, noise = fractalNoise(m.noiseSeed, 9000)): number {
  let d = m.base * (1 + 0.3 * noise(p[0], p[1]));
  for (const b of m.bumps) {
    const r2 = (p[0] - b.xy[0]) ** 2 + (p[1] - b.xy[1]) ** 2;
    d += b.peak * Math.exp(-r2 / (2 * b.sigma * b.sigma));
  }
  return d * (m.factor ? m.factor(p) : 1);
}

/**
 * Variable-density blue noise: candidates are drawn from the density by rejection, and kept only when
 * no earlier point lies within 0.62 × the local mean spacing. That keeps cells evenly shaped (few tiny
 * Voronoi edges, hence few vertices) while following the density.
 */
export function densityFn(model: DensityModel): (p: XY) => number {
  const noise = fractalNoise(model.noiseSeed, 9000);
  return (p) => densityAt(model, p, noise);
}

/**
 * Pairs of points mirrored across a line (a street, a river): the Voronoi edge between the two
 * points of a pair lies on the line, so cell boundaries, and then region boundaries, can follow it.
 * Only where the local density is at least `minDensity`.
 */
export function guideSites(lines: { line: XY[]; minDensity: number }[], dens: (p: XY) => number): XY[] {
  const out: XY[] = [];
  for (const { line, minDensity } of lines) {
    let carry = 0;
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const len = dist(a, b);
      if (len === 0) continue;
      const nx = -(b[1] - a[1]) / len;
      const ny = (b[0] - a[0]) / len;
      let s = carry;
      while (s < len) {
        const p: XY = [a[0] + ((b[0] - a[0]) * s) / len, a[1] + ((b[1] - a[1]) * s) / len];
        const d = dens(p);
        const spacing = 1000 / Math.sqrt(d);
        if (d >= minDensity) {
          const off = 0.36 * spacing;
          out.push([p[0] + nx * off, p[1] + ny * off], [p[0] - nx * off, p[1] - ny * off]);
        }
        s += 0.85 * spacing;
      }
      carry = s - len;
    }
  }
  return out;
}

export function sampleSites(outline: IndexedRing, model: DensityModel, rng: Rng, count: number, initial: XY[] = []): XY[] {
  const dens = densityFn(model);
  let maxD = model.base * 1.3;
  for (const b of model.bumps) maxD = Math.max(maxD, b.peak + model.base * 1.3);
  const minSpacing = 0.62 * 1000 / Math.sqrt(maxD);
  const cell = minSpacing;
  const buckets = new Map<number, number[]>();
  const key = (bx: number, by: number) => bx * 100003 + by;
  const pts: XY[] = [];
  const w = outline.maxX - outline.minX;
  const h = outline.maxY - outline.minY;
  let attempts = 0;
  const maxAttempts = count * 60;
  let next = 0;
  while (pts.length < count && attempts < maxAttempts) {
    let p: XY;
    let d: number;
    if (next < initial.length) {
      p = initial[next++];
      d = dens(p);
      if (!outline.contains(p)) continue;
    } else {
      attempts++;
      p = [outline.minX + rng.next() * w, outline.minY + rng.next() * h];
      d = dens(p);
      if (rng.next() * maxD > d) continue;
      if (!outline.contains(p)) continue;
    }
    const r = (next <= initial.length && attempts === 0 ? 0.5 : 0.62) * 1000 / Math.sqrt(d);
    const reach = Math.ceil(r / cell);
    const bx = Math.floor(p[0] / cell);
    const by = Math.floor(p[1] / cell);
    let ok = true;
    search: for (let i = bx - reach; i <= bx + reach; i++) {
      for (let j = by - reach; j <= by + reach; j++) {
        for (const q of buckets.get(key(i, j)) ?? []) {
          if ((pts[q][0] - p[0]) ** 2 + (pts[q][1] - p[1]) ** 2 < r * r) { ok = false; break search; }
        }
      }
    }
    if (!ok) continue;
    const k = key(bx, by);
    let list = buckets.get(k);
    if (!list) buckets.set(k, (list = []));
    list.push(pts.length);
    pts.push(p);
  }
  return pts;
}

// ---------------------------------------------------------------------------------------------------
// Cells and their adjacency graph

export interface Cells {
  n: number;
  sites: XY[];
  /** Voronoi polygon of each site (projected, closed ring), clipped to the bounding box only. */
  polygons: XY[][];
  /** Area in m² of the part inside the county outline (estimated for boundary cells). */
  area: Float64Array;
  /** Area in m² of the whole Voronoi polygon (bounding box clipped only). */
  polygonArea: Float64Array;
  /** 1 when the whole cell lies inside the outline, so SQL clipping cannot change it. */
  interior: Uint8Array;
  /** CSR adjacency: neighbours of i are adjNode[adjStart[i] .. adjStart[i+1]), via edge adjEdge[..]. */
  adjStart: Int32Array;
  adjNode: Int32Array;
  adjEdge: Int32Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
  edgeLen: Float64Array;
  delaunay: Delaunay<XY>;
}

export function buildCells(sites: XY[], outline: IndexedRing, margin = 3000): Cells {
  const n = sites.length;
  const delaunay = Delaunay.from(sites);
  const bounds: [number, number, number, number] = [outline.minX - margin, outline.minY - margin, outline.maxX + margin, outline.maxY + margin];
  const vor = delaunay.voronoi(bounds);
  const polygons: XY[][] = [];
  const area = new Float64Array(n);
  const polygonArea = new Float64Array(n);
  const interior = new Uint8Array(n);
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const poly = vor.cellPolygon(i) as unknown as XY[] | null;
    if (!poly) throw new Error(`no Voronoi cell for site ${i} (duplicate point?)`);
    const ring = poly.map((p) => [p[0], p[1]] as XY);
    if (ringArea(ring) < 0) ring.reverse(); // counter-clockwise: the cell lies left of its edges
    polygons.push(ring);

    // Interior when the disc around the site through its farthest vertex is inside the outline, or
    // else when every vertex is inside and no outline edge crosses a cell edge.
    let rMax = 0;
    for (const p of ring) rMax = Math.max(rMax, dist(p, sites[i]));
    let inside = outline.boundaryDistance(sites[i]) > rMax;
    if (!inside) {
      inside = true;
      for (let k = 0; k < ring.length - 1 && inside; k++) {
        if (!outline.contains(ring[k]) || outline.crosses(ring[k], ring[k + 1])) inside = false;
      }
    }
    interior[i] = inside ? 1 : 0;
    polygonArea[i] = Math.abs(ringArea(ring));
    area[i] = inside ? polygonArea[i] : clippedAreaEstimate(ring, outline);
  }
  // Voronoi neighbours: Delaunay neighbours whose cells share an edge (not only a clipped corner).
  const shared = new Map<number, [XY, XY]>();
  for (let i = 0; i < n; i++) {
    for (const j of delaunay.neighbors(i)) {
      if (j <= i) continue;
      const e = sharedEdge(polygons[i], polygons[j]);
      if (e) { pairs.push([i, j]); shared.set(i * n + j, e); }
    }
  }
  // Adjacency only through edges whose midpoint is inside the county: regions must not "connect"
  // through land outside the outline, or clipping would split them.
  const edgesA: number[] = [];
  const edgesB: number[] = [];
  const lens: number[] = [];
  const dropped: [number, number][] = [];
  const degree = new Int32Array(n);
  for (const [i, j] of pairs) {
    if (!(interior[i] && interior[j])) {
      const e = shared.get(i * n + j)!;
      const inside = outline.contains([(e[0][0] + e[1][0]) / 2, (e[0][1] + e[1][1]) / 2]) || !outline.crosses(sites[i], sites[j]);
      if (!inside) { dropped.push([i, j]); continue; }
    }
    edgesA.push(i); edgesB.push(j); lens.push(dist(sites[i], sites[j]));
    degree[i]++; degree[j]++;
  }
  // A cell left without any edge (a sliver at a notch of the outline) keeps its nearest neighbour.
  for (let i = 0; i < n; i++) {
    if (degree[i]) continue;
    let best = -1;
    for (const [a, b] of dropped) {
      const o = a === i ? b : b === i ? a : -1;
      if (o >= 0 && (best < 0 || dist(sites[i], sites[o]) < dist(sites[i], sites[best]))) best = o;
    }
    if (best < 0) throw new Error(`fine cell ${i} has no neighbour`);
    edgesA.push(Math.min(i, best)); edgesB.push(Math.max(i, best)); lens.push(dist(sites[i], sites[best]));
    degree[i]++; degree[best]++;
  }
  const m = edgesA.length;
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) { deg[edgesA[e] + 1]++; deg[edgesB[e] + 1]++; }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const adjNode = new Int32Array(2 * m);
  const adjEdge = new Int32Array(2 * m);
  const fill = deg.slice(0, n);
  for (let e = 0; e < m; e++) {
    const a = edgesA[e];
    const b = edgesB[e];
    adjNode[fill[a]] = b; adjEdge[fill[a]++] = e;
    adjNode[fill[b]] = a; adjEdge[fill[b]++] = e;
  }
  return {
    n, sites, polygons, area, polygonArea, interior,
    adjStart: deg, adjNode, adjEdge,
    edgeA: Int32Array.from(edgesA), edgeB: Int32Array.from(edgesB), edgeLen: Float64Array.from(lens),
    delaunay: delaunay as unknown as Delaunay<XY>,
  };
}

/** The edge two cells share (bit-identical vertices), or null when they only touch at a point. */
function sharedEdge(a: XY[], b: XY[]): [XY, XY] | null {
  let first: XY | null = null;
  for (let k = 0; k < a.length - 1; k++) {
    const p = a[k];
    for (let m = 0; m < b.length - 1; m++) {
      if (b[m][0] === p[0] && b[m][1] === p[1]) {
        if (!first) first = p;
        else if (first[0] !== p[0] || first[1] !== p[1]) return [first, p];
        break;
      }
    }
  }
  return null;
}

/** Area of ring ∩ outline, by counting a 12 × 12 lattice of sample points (boundary cells only). */
function clippedAreaEstimate(ring: XY[], outline: IndexedRing): number {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y); }
  const k = 12;
  let hit = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const p: XY = [minX + ((i + 0.5) / k) * (maxX - minX), minY + ((j + 0.5) / k) * (maxY - minY)];
      if (pointInRing(p, ring) && outline.contains(p)) hit++;
    }
  }
  return Math.max(1, (hit / (k * k)) * (maxX - minX) * (maxY - minY));
}
