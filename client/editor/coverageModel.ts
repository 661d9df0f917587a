// The loaded coverage (what the server has) and the unsaved edits on top of it, as plain data.
import type { Feature, Polygon, Position } from 'geojson';
import type { CoverageFeature, CoverageProperties } from './api.js';
import { samePolygon, type Coverage, type GridId, type PolygonCoords } from './topology.js';

export type BBox = [number, number, number, number];

export interface GridInfo extends CoverageProperties {
  bbox: BBox;
}

export interface BaseCoverage {
  info: ReadonlyMap<GridId, GridInfo>;
  coverage: Coverage;
  /** One GeoJSON feature per grid (stable identity between loads when unchanged). */
  features: ReadonlyMap<GridId, Feature<Polygon, GridInfo>>;
  /** Loads so far (1 = first). */
  seq: number;
}

/** An unsaved edit of one grid: its new geometry and the version it was edited from. */
export interface GridEdit {
  geometry: PolygonCoords;
  baseVersion: number;
}
export type Edits = ReadonlyMap<GridId, GridEdit>;
export const NO_EDITS: Edits = new Map();

export function bboxOfCoords(poly: PolygonCoords): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of poly) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Build the base from GET /api/grids/coverage.geojson, reusing the previous load's unchanged features. */
export function buildBase(features: readonly CoverageFeature[], previous: BaseCoverage | null): { base: BaseCoverage; changed: GridId[] } {
  const info = new Map<GridId, GridInfo>();
  const coverage = new Map<GridId, PolygonCoords>();
  const feats = new Map<GridId, Feature<Polygon, GridInfo>>();
  const changed: GridId[] = [];
  for (const f of features) {
    const p = f.properties;
    const prev = previous?.features.get(p.id);
    if (prev && prev.properties.version === p.version && prev.properties.code === p.code && prev.properties.village_code === p.village_code && prev.properties.name === p.name) {
      info.set(p.id, prev.properties);
      coverage.set(p.id, prev.geometry.coordinates);
      feats.set(p.id, prev);
      continue;
    }
    if (previous) changed.push(p.id);
    const gi: GridInfo = { ...p, bbox: bboxOfCoords(f.geometry.coordinates) };
    info.set(p.id, gi);
    coverage.set(p.id, f.geometry.coordinates);
    feats.set(p.id, { type: 'Feature', id: p.id, geometry: f.geometry, properties: gi });
  }
  if (previous) for (const id of previous.info.keys()) if (!info.has(id)) changed.push(id);
  return { base: { info, coverage, features: feats, seq: (previous?.seq ?? 0) + 1 }, changed };
}

/** The coverage as edited: base with the edits on top. */
export function workingCoverage(base: BaseCoverage, edits: Edits): Coverage {
  if (!edits.size) return base.coverage;
  const out = new Map(base.coverage);
  for (const [id, e] of edits) if (out.has(id)) out.set(id, e.geometry);
  return out;
}

/** Grids whose (working) bbox touches the box. */
export function gridsInBox(base: BaseCoverage, edits: Edits, box: BBox): GridId[] {
  const out: GridId[] = [];
  for (const [id, g] of base.info) {
    const b = edits.has(id) ? bboxOfCoords(edits.get(id)!.geometry) : g.bbox;
    if (b[0] <= box[2] && b[2] >= box[0] && b[1] <= box[3] && b[3] >= box[1]) out.push(id);
  }
  return out;
}

export const boxAround = (p: Position, r: number): BBox => [p[0] - r, p[1] - r, p[0] + r, p[1] + r];

/** Edits after an operation changed some grids of `coverage`: unchanged-from-base grids drop out. */
export function applyChanged(base: BaseCoverage, edits: Edits, coverage: Coverage, changed: readonly GridId[]): Edits {
  const next = new Map(edits);
  for (const id of changed) {
    const g = coverage.get(id);
    const b = base.coverage.get(id);
    const info = base.info.get(id);
    if (!g || !b || !info) continue;
    if (samePolygon(g, b)) next.delete(id);
    else next.set(id, { geometry: g, baseVersion: edits.get(id)?.baseVersion ?? info.version });
  }
  return next;
}

/** Edits whose grid changed on the server meanwhile (another version, or gone). */
export function staleEdits(base: BaseCoverage, edits: Edits): GridId[] {
  return [...edits].filter(([id, e]) => base.info.get(id)?.version !== e.baseVersion).map(([id]) => id);
}

/** Point in polygon (even-odd over all rings). */
export function pointInPolygon(p: Position, poly: PolygonCoords): boolean {
  let inside = false;
  for (const ring of poly) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The grid under a point (working geometry). */
export function gridAt(base: BaseCoverage, edits: Edits, p: Position): GridId | null {
  for (const id of gridsInBox(base, edits, [p[0], p[1], p[0], p[1]])) {
    const poly = edits.get(id)?.geometry ?? base.coverage.get(id);
    if (poly && pointInPolygon(p, poly)) return id;
  }
  return null;
}
