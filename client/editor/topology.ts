// Topological editing of a polygon coverage, as pure functions (no React, no map).
//
// A coverage is a map grid id → polygon rings (GeoJSON Polygon coordinates, closed rings). Two
// vertices are the SAME NODE when they are equal at 7 decimals (what the server stores and sends):
// moving a node moves it in every ring that has it, so shared boundaries move together and an edit
// cannot open a gap or create an overlap along them (QGIS "topological editing"). Functions never
// mutate their input: they return a new Map sharing the untouched polygons, plus the ids changed.
import { area as turfArea, featureCollection, polygon as turfPolygon, union as turfUnion, kinks } from '@turf/turf';
import type { Polygon, Position } from 'geojson';

export type Ring = Position[];
export type PolygonCoords = Ring[];
export type GridId = number;
export type Coverage = ReadonlyMap<GridId, PolygonCoords>;

export const DECIMALS = 7;
const SCALE = 10 ** DECIMALS;

export const round7 = (v: number): number => Math.round(v * SCALE) / SCALE;
export const roundPos = (p: Position): Position => [round7(p[0]), round7(p[1])];
/** The node a vertex belongs to: its coordinates at 7 decimals. */
export const nodeKey = (p: Position): string => `${Math.round(p[0] * SCALE)},${Math.round(p[1] * SCALE)}`;
export const samePos = (a: Position, b: Position): boolean => nodeKey(a) === nodeKey(b);

/** Where one vertex sits: grid, ring (0 = exterior), index in the ring (never the closing copy). */
export interface VertexRef {
  id: GridId;
  ring: number;
  index: number;
}

export interface NodeIndex {
  /** node key → every vertex at that node */
  nodes: Map<string, VertexRef[]>;
  position(key: string): Position | undefined;
}

/** Every vertex of the coverage (or of some grids), grouped by node. */
export function buildNodeIndex(coverage: Coverage, ids?: Iterable<GridId>): NodeIndex {
  const nodes = new Map<string, VertexRef[]>();
  const positions = new Map<string, Position>();
  for (const id of ids ?? coverage.keys()) {
    const poly = coverage.get(id);
    if (!poly) continue;
    poly.forEach((ring, r) => {
      for (let i = 0; i < ring.length - 1; i++) {
        const k = nodeKey(ring[i]);
        let list = nodes.get(k);
        if (!list) {
          list = [];
          nodes.set(k, list);
          positions.set(k, ring[i]);
        }
        list.push({ id, ring: r, index: i });
      }
    });
  }
  return { nodes, position: (k) => positions.get(k) };
}

/** Grids having a vertex at this node. */
export function gridsAtNode(index: NodeIndex, p: Position): GridId[] {
  return [...new Set((index.nodes.get(nodeKey(p)) ?? []).map((v) => v.id))];
}

/** Ring without its closing vertex. */
export const openRing = (ring: Ring): Ring => (ring.length > 1 && samePos(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring.slice());
/** Ring closed with a copy of its first vertex. */
export const closeRing = (open: Ring): Ring => (open.length ? [...open, [open[0][0], open[0][1]]] : []);

export interface EditResult {
  coverage: Coverage;
  /** Grids whose geometry changed. */
  changed: GridId[];
}

export interface EditError {
  error: 'not_a_node' | 'not_an_edge' | 'too_few_vertices' | 'same_position';
  /** Grids concerned (e.g. the one whose ring would become too small). */
  grids: GridId[];
}

export const isEditError = (r: EditResult | EditError): r is EditError => 'error' in r;

function withPolygons(coverage: Coverage, replaced: Map<GridId, PolygonCoords>): Coverage {
  const next = new Map(coverage);
  for (const [id, poly] of replaced) next.set(id, poly);
  return next;
}

/** Move the node at `from` to `to` in every ring that has it. */
export function moveNode(coverage: Coverage, from: Position, to: Position): EditResult | EditError {
  const fromKey = nodeKey(from);
  const target = roundPos(to);
  if (nodeKey(target) === fromKey) return { error: 'same_position', grids: [] };
  const replaced = new Map<GridId, PolygonCoords>();
  for (const [id, poly] of coverage) {
    let hit = false;
    const rings = poly.map((ring) => {
      if (!ring.some((p) => nodeKey(p) === fromKey)) return ring;
      hit = true;
      return ring.map((p) => (nodeKey(p) === fromKey ? [target[0], target[1]] : p));
    });
    if (hit) replaced.set(id, rings);
  }
  if (!replaced.size) return { error: 'not_a_node', grids: [] };
  // A ring that now has two consecutive equal vertices (moved onto its neighbour) loses the duplicate.
  for (const [id, rings] of replaced) replaced.set(id, rings.map(dropRepeats));
  const small = [...replaced].filter(([, rings]) => rings.some((r) => distinctCount(r) < 3)).map(([id]) => id);
  if (small.length) return { error: 'too_few_vertices', grids: small };
  return { coverage: withPolygons(coverage, replaced), changed: [...replaced.keys()] };
}

/** Insert a vertex `p` on the edge a–b (either direction) in every ring that has that edge. */
export function insertOnEdge(coverage: Coverage, a: Position, b: Position, p: Position): EditResult | EditError {
  const ka = nodeKey(a);
  const kb = nodeKey(b);
  const pt = roundPos(p);
  const kp = nodeKey(pt);
  if (kp === ka || kp === kb) return { error: 'same_position', grids: [] };
  const replaced = new Map<GridId, PolygonCoords>();
  for (const [id, poly] of coverage) {
    let hit = false;
    const rings = poly.map((ring) => {
      const open = openRing(ring);
      const out: Ring = [];
      let changed = false;
      for (let i = 0; i < open.length; i++) {
        const cur = open[i];
        const next = open[(i + 1) % open.length];
        out.push(cur);
        const kc = nodeKey(cur);
        const kn = nodeKey(next);
        if ((kc === ka && kn === kb) || (kc === kb && kn === ka)) {
          out.push([pt[0], pt[1]]);
          changed = true;
        }
      }
      if (!changed) return ring;
      hit = true;
      return closeRing(out);
    });
    if (hit) replaced.set(id, rings);
  }
  if (!replaced.size) return { error: 'not_an_edge', grids: [] };
  return { coverage: withPolygons(coverage, replaced), changed: [...replaced.keys()] };
}

/** Delete the node at `p` from every ring that has it; refused if a ring would keep fewer than 3 distinct vertices. */
export function deleteNode(coverage: Coverage, p: Position): EditResult | EditError {
  const k = nodeKey(p);
  const replaced = new Map<GridId, PolygonCoords>();
  const small: GridId[] = [];
  for (const [id, poly] of coverage) {
    let hit = false;
    const rings = poly.map((ring) => {
      const open = openRing(ring);
      if (!open.some((q) => nodeKey(q) === k)) return ring;
      hit = true;
      const kept = dropRepeats(closeRing(open.filter((q) => nodeKey(q) !== k)));
      if (distinctCount(kept) < 3) small.push(id);
      return kept;
    });
    if (hit) replaced.set(id, rings);
  }
  if (!replaced.size) return { error: 'not_a_node', grids: [] };
  if (small.length) return { error: 'too_few_vertices', grids: [...new Set(small)] };
  return { coverage: withPolygons(coverage, replaced), changed: [...replaced.keys()] };
}

/** Remove consecutive duplicate vertices (same node), keeping the ring closed. */
export function dropRepeats(ring: Ring): Ring {
  const open = openRing(ring);
  const out: Ring = [];
  for (const p of open) if (!out.length || !samePos(out[out.length - 1], p)) out.push(p);
  while (out.length > 1 && samePos(out[0], out[out.length - 1])) out.pop();
  return closeRing(out);
}

export const distinctCount = (ring: Ring): number => new Set(openRing(ring).map(nodeKey)).size;

// ---------------------------------------------------------------------------------------------
// Validity of a ring / polygon (what the client can tell before asking the server).

export type RingIssue = 'not_closed' | 'too_few_vertices' | 'self_intersection' | 'zero_area' | 'repeated_vertex';

export function ringIssues(ring: Ring): RingIssue[] {
  const issues: RingIssue[] = [];
  if (ring.length < 2 || !samePos(ring[0], ring[ring.length - 1])) issues.push('not_closed');
  const open = openRing(ring);
  if (distinctCount(ring) < 3) {
    issues.push('too_few_vertices');
    return issues;
  }
  if (new Set(open.map(nodeKey)).size !== open.length) issues.push('repeated_vertex');
  if (hasSelfIntersection(closeRing(open))) issues.push('self_intersection');
  else if (Math.abs(signedArea(open)) < 1e-14) issues.push('zero_area');
  return issues;
}

export function polygonIssues(poly: PolygonCoords): RingIssue[] {
  return [...new Set(poly.flatMap(ringIssues))];
}

function hasSelfIntersection(ring: Ring): boolean {
  try {
    return kinks(turfPolygon([ring])).features.length > 0;
  } catch {
    return true;
  }
}

/** Shoelace area in degree² (sign: orientation). */
export function signedArea(open: Ring): number {
  let s = 0;
  for (let i = 0; i < open.length; i++) {
    const [x1, y1] = open[i];
    const [x2, y2] = open[(i + 1) % open.length];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

/** Geodesic area in m² (turf). */
export function areaM2(poly: PolygonCoords): number {
  return turfArea(turfPolygon(poly));
}

// ---------------------------------------------------------------------------------------------
// Split and merge (previews: the server does the real operation with PostGIS).

interface Crossing {
  /** ring segment index (from vertex i to i+1) */
  seg: number;
  /** parameter along the ring segment */
  tRing: number;
  /** distance along the drawn line (segment index + parameter) */
  along: number;
  p: Position;
}

function segmentIntersection(a: Position, b: Position, c: Position, d: Position): { t: number; u: number } | null {
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
  return { t, u };
}

/**
 * Split a polygon (exterior ring) by a line crossing its boundary exactly twice. Returns the two
 * parts, larger first, or null when the line does not cut it into exactly two.
 */
export function splitPolygon(poly: PolygonCoords, line: Position[]): [PolygonCoords, PolygonCoords] | null {
  const ring = openRing(poly[0]);
  const crossings: Crossing[] = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    for (let j = 0; j < line.length - 1; j++) {
      const hit = segmentIntersection(a, b, line[j], line[j + 1]);
      if (!hit) continue;
      // A crossing at a ring vertex is seen by both of its segments (or at a line vertex, by both
      // line segments): keep one.
      if (hit.t === 1) continue;
      const p: Position = [a[0] + (b[0] - a[0]) * hit.t, a[1] + (b[1] - a[1]) * hit.t];
      if (crossings.some((c) => Math.abs(c.p[0] - p[0]) < 1e-10 && Math.abs(c.p[1] - p[1]) < 1e-10)) continue;
      crossings.push({ seg: i, tRing: hit.t, along: j + hit.u, p });
    }
  }
  if (crossings.length !== 2) return null;
  const [c1, c2] = [...crossings].sort((x, y) => x.along - y.along);
  // The drawn line between the two crossings (inside the polygon).
  const inner: Position[] = [c1.p];
  for (let j = Math.floor(c1.along) + 1; j <= Math.floor(c2.along) && j < line.length; j++) if (j > c1.along && j < c2.along) inner.push(line[j]);
  inner.push(c2.p);
  // Walk the ring from one crossing to the other, both ways.
  const arc = (from: Crossing, to: Crossing): Position[] => {
    const out: Position[] = [from.p];
    let i = from.seg;
    if (from.seg === to.seg && to.tRing > from.tRing) {
      out.push(to.p);
      return out;
    }
    for (;;) {
      i = (i + 1) % ring.length;
      out.push(ring[i]);
      if (i === to.seg) break;
    }
    out.push(to.p);
    return out;
  };
  const a1 = arc(c1, c2); // c1 → c2 along the ring, then back along the line c2 → c1
  const a2 = arc(c2, c1);
  const partA = dropRepeats(closeRing(roundAll([...a1, ...inner.slice(1, -1).reverse()])));
  const partB = dropRepeats(closeRing(roundAll([...a2, ...inner.slice(1, -1)])));
  if (distinctCount(partA) < 3 || distinctCount(partB) < 3) return null;
  const parts: [PolygonCoords, PolygonCoords] = [[partA], [partB]];
  return areaM2(parts[0]) >= areaM2(parts[1]) ? parts : [parts[1], parts[0]];
}

const roundAll = (ps: Position[]): Position[] => ps.map(roundPos);

/** How far (degrees, ~10 cm) a split line's ends are drawn on past where they were clicked. */
export const LINE_OVERSHOOT = 1e-6;

/**
 * The line with its first and last points moved `d` degrees further out along their segments. A
 * line end snapped onto a boundary is rounded to 7 decimals and may stop a hair inside the grid,
 * where it would not cut it: drawn on a little, it crosses the boundary.
 */
export function extendEnds(line: Position[], d = LINE_OVERSHOOT): Position[] {
  if (line.length < 2) return line;
  const out = (from: Position, to: Position): Position => {
    const len = Math.hypot(to[0] - from[0], to[1] - from[1]);
    return len === 0 ? to : roundPos([to[0] + ((to[0] - from[0]) / len) * d, to[1] + ((to[1] - from[1]) / len) * d]);
  };
  return [out(line[1], line[0]), ...line.slice(1, -1), out(line[line.length - 2], line[line.length - 1])];
}

/** Union of adjacent polygons: one polygon, or null when they do not form one (not adjacent). */
export function mergePolygons(polys: PolygonCoords[]): PolygonCoords | null {
  if (polys.length < 2) return polys[0] ?? null;
  const u = turfUnion(featureCollection(polys.map((p) => turfPolygon(p))));
  if (!u) return null;
  const g = u.geometry;
  if (g.type === 'Polygon') return g.coordinates.map((r) => roundAll(r));
  return null;
}

export const toPolygon = (coords: PolygonCoords): Polygon => ({ type: 'Polygon', coordinates: coords });

/** Grids whose polygon differs from the baseline (compared node by node). */
export function changedGrids(base: Coverage, current: Coverage): GridId[] {
  const out: GridId[] = [];
  for (const [id, poly] of current) {
    const before = base.get(id);
    if (before === poly) continue;
    if (!before || !samePolygon(before, poly)) out.push(id);
  }
  return out;
}

export function samePolygon(a: PolygonCoords, b: PolygonCoords): boolean {
  if (a.length !== b.length) return false;
  return a.every((ring, i) => ring.length === b[i].length && ring.every((p, j) => samePos(p, b[i][j])));
}

// ---------------------------------------------------------------------------------------------
// Screen-space helpers for picking and snapping (pass a projection: [lon, lat] → [x, y] pixels).

export type Project = (p: Position) => [number, number];

/** Nearest point on segment a–b to p (in the projected plane), with its parameter. */
export function nearestOnSegment(p: [number, number], a: [number, number], b: [number, number]): { t: number; x: number; y: number; d: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const x = a[0] + dx * t;
  const y = a[1] + dy * t;
  return { t, x, y, d: Math.hypot(p[0] - x, p[1] - y) };
}

export interface Snap {
  kind: 'node' | 'edge';
  position: Position;
  /** For an edge: its two end vertices (to insert the snapped vertex into every ring having it). */
  edge?: [Position, Position];
  /** Distance in pixels. */
  d: number;
}

/**
 * Where a dragged vertex snaps: the nearest node within `tolerance` px, else the nearest edge.
 * `exclude` are node keys not to snap to (the dragged node); edges touching them are skipped.
 */
export function findSnap(
  coverage: Coverage,
  ids: Iterable<GridId>,
  cursor: [number, number],
  project: Project,
  tolerance: number,
  exclude: ReadonlySet<string>,
): Snap | null {
  let bestNode: Snap | null = null;
  let bestEdge: Snap | null = null;
  for (const id of ids) {
    const poly = coverage.get(id);
    if (!poly) continue;
    for (const ring of poly) {
      const open = openRing(ring);
      const pts = open.map(project);
      for (let i = 0; i < open.length; i++) {
        const k = nodeKey(open[i]);
        if (!exclude.has(k)) {
          const d = Math.hypot(pts[i][0] - cursor[0], pts[i][1] - cursor[1]);
          if (d <= tolerance && (!bestNode || d < bestNode.d)) bestNode = { kind: 'node', position: open[i], d };
        }
        const j = (i + 1) % open.length;
        if (exclude.has(k) || exclude.has(nodeKey(open[j]))) continue;
        const n = nearestOnSegment(cursor, pts[i], pts[j]);
        if (n.d <= tolerance && n.t > 0 && n.t < 1 && (!bestEdge || n.d < bestEdge.d)) {
          const a = open[i];
          const b = open[j];
          bestEdge = { kind: 'edge', position: [a[0] + (b[0] - a[0]) * n.t, a[1] + (b[1] - a[1]) * n.t], edge: [a, b], d: n.d };
        }
      }
    }
  }
  return bestNode ?? bestEdge;
}
