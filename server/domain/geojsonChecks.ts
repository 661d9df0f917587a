// GeoJSON checks before PostGIS sees the input (RFC 7946): coordinate ranges, finite numbers,
// closed rings with enough vertices, vertex limits. Each failure is a 400 naming the field.
import { badRequest } from '../http/errors.js';

const MAX_VERTICES = 20_000;

function checkPosition(p: unknown, field: string) {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) throw badRequest(field, 'a position is [lon, lat]');
  const [lon, lat] = p as number[];
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw badRequest(field, 'coordinates must be finite numbers');
  if (lon < -180 || lon > 180) throw badRequest(field, `longitude ${lon} is outside -180..180`);
  if (lat < -90 || lat > 90) throw badRequest(field, `latitude ${lat} is outside -90..90`);
}

export function checkPolygon(g: { type: string; coordinates: unknown }, field: string) {
  if (g?.type !== 'Polygon' || !Array.isArray(g.coordinates) || !g.coordinates.length) throw badRequest(field, 'must be a GeoJSON Polygon');
  let vertices = 0;
  g.coordinates.forEach((ring: unknown, r: number) => {
    const f = `${field}.coordinates.${r}`;
    if (!Array.isArray(ring) || ring.length < 4) throw badRequest(f, 'a ring needs at least 4 positions');
    ring.forEach((p, i) => checkPosition(p, `${f}.${i}`));
    const [a, b] = [ring[0] as number[], ring[ring.length - 1] as number[]];
    if (a[0] !== b[0] || a[1] !== b[1]) throw badRequest(f, 'ring is not closed (first and last positions differ)');
    vertices += ring.length;
  });
  if (vertices > MAX_VERTICES) throw badRequest(field, `more than ${MAX_VERTICES} vertices`);
}

export function checkLine(g: { type: string; coordinates: unknown }, field: string) {
  if (g?.type !== 'LineString' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) throw badRequest(field, 'must be a GeoJSON LineString of 2 or more positions');
  g.coordinates.forEach((p: unknown, i: number) => checkPosition(p, `${field}.coordinates.${i}`));
}
