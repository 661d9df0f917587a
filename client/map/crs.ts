// The coordinate system the map draws in. Our data (API, live positions) is WGS84; a GCJ-02 online
// base map needs every coordinate shifted onto it (toMap) and every coordinate read off the map
// (clicks, the visible box, the view centre) shifted back (fromMap) before it goes to the server.
// With the offline base map (our own WGS84 data) both are the identity.
import type { Feature, Geometry, Position } from 'geojson';
import { gcj02ToWgs84, wgs84ToGcj02, type LonLat } from './gcj02.js';

export type BBox = [number, number, number, number];

export interface MapCrs {
  name: 'wgs84' | 'gcj02';
  /** WGS84 → map coordinates. */
  toMap(lon: number, lat: number): LonLat;
  /** Map coordinates → WGS84. */
  fromMap(lon: number, lat: number): LonLat;
}

export const WGS84_CRS: MapCrs = {
  name: 'wgs84',
  toMap: (lon, lat) => [lon, lat],
  fromMap: (lon, lat) => [lon, lat],
};

export const GCJ02_CRS: MapCrs = {
  name: 'gcj02',
  toMap: wgs84ToGcj02,
  fromMap: gcj02ToWgs84,
};

/** The map's CRS: shifted only when an online GCJ-02 base map is actually shown. */
export function mapCrsFor(basemapCrs: 'wgs84' | 'gcj02' | undefined, onlineBasemap: boolean): MapCrs {
  return onlineBasemap && basemapCrs === 'gcj02' ? GCJ02_CRS : WGS84_CRS;
}

function mapPositions(c: unknown, f: (p: Position) => Position): unknown {
  if (!Array.isArray(c)) return c;
  if (typeof c[0] === 'number') return f(c as Position);
  return c.map((child) => mapPositions(child, f));
}

/** A geometry with every position converted (new arrays; the input is left alone). */
export function transformGeometry<G extends Geometry>(g: G, f: (lon: number, lat: number) => LonLat): G {
  const tp = (p: Position): Position => {
    const [x, y] = f(p[0], p[1]);
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
  if (g.type === 'GeometryCollection') {
    return { ...g, geometries: g.geometries.map((child) => transformGeometry(child, f)) };
  }
  return { ...g, coordinates: mapPositions((g as Exclude<Geometry, { type: 'GeometryCollection' }>).coordinates, tp) } as G;
}

const cache = new WeakMap<readonly Feature[], Map<string, Feature[]>>();

/**
 * Features in map coordinates: the same array for WGS84 (data identity kept for deck.gl), a
 * converted copy for GCJ-02, memoised per input array so re-renders do not convert again.
 */
export function featuresToMap<F extends Feature>(features: readonly F[], crs: MapCrs): F[] {
  if (crs.name === 'wgs84') return features as F[];
  let byCrs = cache.get(features);
  if (!byCrs) {
    byCrs = new Map();
    cache.set(features, byCrs);
  }
  let out = byCrs.get(crs.name) as F[] | undefined;
  if (!out) {
    out = features.map((f) => {
      const props = f.properties as Record<string, unknown> | null;
      // Region label points travel in the properties.
      const label = props && Array.isArray(props.label) ? (props.label as number[]) : null;
      return {
        ...f,
        geometry: f.geometry ? transformGeometry(f.geometry, crs.toMap) : f.geometry,
        properties: label ? { ...props, label: crs.toMap(label[0], label[1]) } : f.properties,
      } as F;
    });
    byCrs.set(crs.name, out);
  }
  return out;
}

/** A WGS84 box as the map-coordinate box that contains it (all four corners converted). */
export function bboxToMap([minX, minY, maxX, maxY]: BBox, crs: MapCrs): BBox {
  return cornersBox([crs.toMap(minX, minY), crs.toMap(maxX, minY), crs.toMap(maxX, maxY), crs.toMap(minX, maxY)]);
}

/** A map-coordinate box (e.g. the visible bounds) as the WGS84 box that contains it. */
export function bboxFromMap([minX, minY, maxX, maxY]: BBox, crs: MapCrs): BBox {
  return cornersBox([crs.fromMap(minX, minY), crs.fromMap(maxX, minY), crs.fromMap(maxX, maxY), crs.fromMap(minX, maxY)]);
}

function cornersBox(corners: LonLat[]): BBox {
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
