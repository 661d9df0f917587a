// WGS84 ↔ GCJ-02 (the "Mars" datum of AMap, Tencent and other Chinese web maps).
//
// Our data is WGS84. A GCJ-02 base map (BASEMAP_CRS=gcj02) draws every place shifted by a few
// hundred metres, so everything we draw over it is moved by the same published formula (the
// Krasovsky-1940 ellipsoid and the well-known polynomial); what comes back from the map (clicks,
// the visible box sent to the server) goes through the inverse, solved iteratively to ~1e-9°.
// Outside China the formula is the identity, as in every implementation of it.

const A = 6378245.0; // Krasovsky 1940 semi-major axis
const EE = 0.00669342162296594323; // its first eccentricity squared
const PI = Math.PI;

export type LonLat = [number, number];

/** The rough box the obfuscation applies to (the customary test of the reference implementations). */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * PI) + 40.0 * Math.sin((y / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * PI) + 320 * Math.sin((y * PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * PI) + 40.0 * Math.sin((x / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * PI) + 300.0 * Math.sin((x / 30.0) * PI)) * 2.0) / 3.0;
  return ret;
}

/** The offset GCJ-02 adds at a WGS84 point, in degrees [dLon, dLat]. */
function offset(lon: number, lat: number): LonLat {
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * PI);
  return [dLon, dLat];
}

/** WGS84 → GCJ-02. */
export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  const [dLon, dLat] = offset(lon, lat);
  return [lon + dLon, lat + dLat];
}

/**
 * GCJ-02 → WGS84: the exact inverse of wgs84ToGcj02 by fixed-point iteration (the offset varies
 * slowly, so each step gains about three digits; 1e-10° is reached in 3–5 steps).
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  for (let i = 0; i < 12; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    const eLon = gLon - lon;
    const eLat = gLat - lat;
    wLon -= eLon;
    wLat -= eLat;
    if (Math.abs(eLon) < 1e-10 && Math.abs(eLat) < 1e-10) break;
  }
  return [wLon, wLat];
}
