import { badRequest } from './errors.js';

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** Parses `minLon,minLat,maxLon,maxLat` (WGS84); throws a 400 naming `field` and the reason. */
export function parseBBox(value: string, field = 'bbox'): BBox {
  const parts = value.split(',');
  if (parts.length !== 4) throw badRequest(field, `expected 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got ${parts.length}`);
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  const bad = nums.findIndex((n) => !Number.isFinite(n));
  if (bad >= 0) throw badRequest(field, `value ${bad + 1} ("${parts[bad].slice(0, 20)}") is not a finite number`);
  const [minLon, minLat, maxLon, maxLat] = nums;
  for (const [name, v] of [['minLon', minLon], ['maxLon', maxLon]] as const) {
    if (v < -180 || v > 180) throw badRequest(field, `${name} ${v} is outside -180..180`);
  }
  for (const [name, v] of [['minLat', minLat], ['maxLat', maxLat]] as const) {
    if (v < -90 || v > 90) throw badRequest(field, `${name} ${v} is outside -90..90`);
  }
  if (minLon > maxLon) throw badRequest(field, `minLon ${minLon} is greater than maxLon ${maxLon}`);
  if (minLat > maxLat) throw badRequest(field, `minLat ${minLat} is greater than maxLat ${maxLat}`);
  return [minLon, minLat, maxLon, maxLat];
}
