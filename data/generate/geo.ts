// Planar helpers. Generation works in a local equirectangular projection in metres centred on the
// county (34.55°N): at county scale its distortion is < 0.5 %, so Voronoi cells and distances are not
// stretched east–west the way they would be in raw degrees.

export type XY = [number, number];
export type Ring = XY[];

const R = 6371008.8;
export const LON0 = 118.75;
export const LAT0 = 34.55;
const KY = (R * Math.PI) / 180;
const KX = KY * Math.cos((LAT0 * Math.PI) / 180);

export function project(lon: number, lat: number): XY { return [(lon - LON0) * KX, (lat - LAT0) * KY]; }
export function unproject(x: number, y: number): XY { return [LON0 + x / KX, LAT0 + y / KY]; }

/** Rounds a WGS84 coordinate to 1e-7° (~1 cm): shared vertices stay bit-identical in SQL. */
export function round7(v: number): number { return Math.round(v * 1e7) / 1e7; }

export function dist(a: XY, b: XY): number { return Math.hypot(a[0] - b[0], a[1] - b[1]); }

export function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] * ring[i][1]) - (ring[i][0] * ring[j][1]);
  return s / 2;
}

export function pointInRing(p: XY, ring: Ring): boolean {
  let inside = false;
  const [x, y] = p;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Distance from p to segment ab, and the closest point. */
export function segmentDistance(p: XY, a: XY, b: XY): { d: number; q: XY; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const q: XY = [a[0] + t * dx, a[1] + t * dy];
  return { d: dist(p, q), q, t };
}

/** Intersection point of segments ab and cd (proper or touching), or null. */
export function segmentIntersection(a: XY, b: XY, c: XY, d: XY): { p: XY; t: number; u: number } | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / den;
  const u = (qx * ry - qy * rx) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return { p: [a[0] + t * rx, a[1] + t * ry], t, u };
}

function bucketKey(bx: number, by: number): number { return (bx + 32768) * 65536 + (by + 32768); }

/** A polygon ring (projected) with a bucket index on its edges for fast point / segment queries. */
export class IndexedRing {
  readonly ring: Ring;
  private readonly cell: number;
  private readonly buckets = new Map<number, number[]>();
  readonly minX: number; readonly minY: number; readonly maxX: number; readonly maxY: number;

  /** Horizontal slabs: the edges overlapping each slab's y-range, for point-in-polygon tests. */
  private readonly slabs: number[][];
  private readonly slabH: number;

  constructor(ring: Ring, cell = 2000) {
    this.ring = ring;
    this.cell = cell;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [x, y] of ring) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y); }
    this.minX = minX; this.minY = minY; this.maxX = maxX; this.maxY = maxY;
    const nSlabs = Math.max(1, Math.min(512, Math.ceil(ring.length / 4)));
    this.slabH = (maxY - minY) / nSlabs || 1;
    this.slabs = Array.from({ length: nSlabs }, () => []);
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      const s0 = Math.max(0, Math.floor((Math.min(a[1], b[1]) - minY) / this.slabH));
      const s1 = Math.min(nSlabs - 1, Math.floor((Math.max(a[1], b[1]) - minY) / this.slabH));
      for (let sl = s0; sl <= s1; sl++) this.slabs[sl].push(i);
    }
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      for (let bx = Math.floor(Math.min(a[0], b[0]) / cell); bx <= Math.floor(Math.max(a[0], b[0]) / cell); bx++) {
        for (let by = Math.floor(Math.min(a[1], b[1]) / cell); by <= Math.floor(Math.max(a[1], b[1]) / cell); by++) {
          const k = bucketKey(bx, by);
          let list = this.buckets.get(k);
          if (!list) this.buckets.set(k, (list = []));
          list.push(i);
        }
      }
    }
  }

  contains(p: XY): boolean {
    if (p[0] < this.minX || p[0] > this.maxX || p[1] < this.minY || p[1] > this.maxY) return false;
    // Same even-odd rule as pointInRing, over the edges of the point's slab only.
    const slab = this.slabs[Math.min(this.slabs.length - 1, Math.floor((p[1] - this.minY) / this.slabH))];
    const [x, y] = p;
    const ring = this.ring;
    let inside = false;
    for (const i of slab) {
      const [xi, yi] = ring[(i + 1) % ring.length];
      const [xj, yj] = ring[i];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  /** Edge indices whose bucket overlaps the box. */
  edgesNear(minX: number, minY: number, maxX: number, maxY: number): number[] {
    const x0 = Math.floor(minX / this.cell);
    const x1 = Math.floor(maxX / this.cell);
    const y0 = Math.floor(minY / this.cell);
    const y1 = Math.floor(maxY / this.cell);
    if (x0 === x1 && y0 === y1) return this.buckets.get(bucketKey(x0, y0)) ?? [];
    const out = new Set<number>();
    for (let bx = x0; bx <= x1; bx++) {
      for (let by = y0; by <= y1; by++) {
        for (const i of this.buckets.get(bucketKey(bx, by)) ?? []) out.add(i);
      }
    }
    return [...out];
  }

  /** Distance from p to the ring's boundary (searching outwards until found). */
  boundaryDistance(p: XY): number {
    for (let r = this.cell; ; r *= 2) {
      const edges = this.edgesNear(p[0] - r, p[1] - r, p[0] + r, p[1] + r);
      let best = Infinity;
      for (const i of edges) best = Math.min(best, segmentDistance(p, this.ring[i], this.ring[(i + 1) % this.ring.length]).d);
      if (best <= r || r > 1e6) return best;
    }
  }

  /** Does segment ab cross the boundary? */
  crosses(a: XY, b: XY): boolean {
    const edges = this.edgesNear(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    for (const i of edges) if (segmentIntersection(a, b, this.ring[i], this.ring[(i + 1) % this.ring.length])) return true;
    return false;
  }
}

/** Polyline helpers. */
export function polylineLength(line: XY[]): number {
  let s = 0;
  for (let i = 1; i < line.length; i++) s += dist(line[i - 1], line[i]);
  return s;
}

/** Point and direction (radians, math convention) at distance s along the line. */
export function pointAlong(line: XY[], s: number): { p: XY; angle: number } {
  let acc = 0;
  for (let i = 1; i < line.length; i++) {
    const seg = dist(line[i - 1], line[i]);
    if (acc + seg >= s || i === line.length - 1) {
      const t = seg === 0 ? 0 : Math.min(1, Math.max(0, (s - acc) / seg));
      const a = line[i - 1];
      const b = line[i];
      return { p: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], angle: Math.atan2(b[1] - a[1], b[0] - a[0]) };
    }
    acc += seg;
  }
  return { p: line[0], angle: 0 };
}

/** Compass bearing in degrees [0, 360) from a math angle in the projected plane (x east, y north). */
export function bearingOf(angle: number): number {
  const b = (90 - (angle * 180) / Math.PI) % 360;
  const r = b < 0 ? b + 360 : b;
  return r >= 360 ? 0 : r;
}

export function ringToWkt(ring: XY[]): string {
  return `POLYGON((${ring.map(([x, y]) => `${x} ${y}`).join(',')}))`;
}

export function lineToWkt(line: XY[]): string {
  return `LINESTRING(${line.map(([x, y]) => `${x} ${y}`).join(',')})`;
}
