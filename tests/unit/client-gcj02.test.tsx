// WGS84 ↔ GCJ-02 (client/map/gcj02.ts) and the map-CRS helpers that apply it (client/map/crs.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import { gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from '../../client/map/gcj02.js';
import { bboxFromMap, bboxToMap, featuresToMap, GCJ02_CRS, mapCrsFor, WGS84_CRS } from '../../client/map/crs.js';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../data/sources/${name}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon>;

describe('WGS84 → GCJ-02', () => {
  it('matches the reference implementation at its published test point (Beijing)', () => {
    // coordtransform's test vector: wgs84togcj02(116.404, 39.915).
    const [lon, lat] = wgs84ToGcj02(116.404, 39.915);
    expect(lon).toBeCloseTo(116.41024449916938, 12);
    expect(lat).toBeCloseTo(39.91640428150164, 12);
  });

  it('moves the Donghai county outline onto its GCJ-02 twin within 1e-5°', () => {
    const wgs = read('donghai-boundary.wgs84.geojson').features[0].geometry.coordinates[0];
    const gcj = read('donghai-boundary.gcj02.geojson').features[0].geometry.coordinates[0];
    expect(wgs).toHaveLength(gcj.length);
    expect(wgs.length).toBeGreaterThan(1000);
    let worst = 0;
    wgs.forEach(([x, y], i) => {
      const [gx, gy] = wgs84ToGcj02(x, y);
      worst = Math.max(worst, Math.abs(gx - gcj[i][0]), Math.abs(gy - gcj[i][1]));
    });
    expect(worst).toBeLessThan(1e-5);
    // The shift itself is a few hundred metres: the test would notice an identity transform.
    const [gx, gy] = wgs84ToGcj02(wgs[0][0], wgs[0][1]);
    expect(Math.hypot(gx - wgs[0][0], gy - wgs[0][1])).toBeGreaterThan(1e-3);
  });

  it('leaves points outside China alone', () => {
    expect(outOfChina(-74.006, 40.7128)).toBe(true);
    expect(wgs84ToGcj02(-74.006, 40.7128)).toEqual([-74.006, 40.7128]);
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(outOfChina(118.76, 34.54)).toBe(false);
  });
});

describe('GCJ-02 → WGS84', () => {
  it('is the inverse of the forward transform to 1e-9°', () => {
    for (const [lon, lat] of [[118.76495, 34.52352], [118.4, 34.3], [119.1, 34.8], [116.404, 39.915], [121.47, 31.23]]) {
      const [gx, gy] = wgs84ToGcj02(lon, lat);
      const [x, y] = gcj02ToWgs84(gx, gy);
      expect(Math.abs(x - lon)).toBeLessThan(1e-9);
      expect(Math.abs(y - lat)).toBeLessThan(1e-9);
    }
  });

  it('brings the GCJ-02 outline back onto the WGS84 one within 1e-5°', () => {
    const wgs = read('donghai-boundary.wgs84.geojson').features[0].geometry.coordinates[0];
    const gcj = read('donghai-boundary.gcj02.geojson').features[0].geometry.coordinates[0];
    let worst = 0;
    gcj.forEach(([x, y], i) => {
      const [wx, wy] = gcj02ToWgs84(x, y);
      worst = Math.max(worst, Math.abs(wx - wgs[i][0]), Math.abs(wy - wgs[i][1]));
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('agrees with the usual one-step approximation to within a few centimetres', () => {
    // coordtransform's gcj02towgs84(116.404, 39.915) (one step, ~1e-6° off the exact inverse).
    const [x, y] = gcj02ToWgs84(116.404, 39.915);
    expect(Math.abs(x - 116.39775550083061)).toBeLessThan(1e-6);
    expect(Math.abs(y - 39.91359571849836)).toBeLessThan(1e-6);
  });
});

describe('map CRS', () => {
  it('shifts only for an online GCJ-02 base map', () => {
    expect(mapCrsFor('gcj02', true)).toBe(GCJ02_CRS);
    expect(mapCrsFor('gcj02', false)).toBe(WGS84_CRS); // our offline base map is WGS84
    expect(mapCrsFor('wgs84', true)).toBe(WGS84_CRS);
    expect(mapCrsFor(undefined, true)).toBe(WGS84_CRS);
  });

  it('converts features once (memoised), keeps WGS84 arrays as they are, moves label points too', () => {
    const features = [
      {
        type: 'Feature' as const,
        geometry: { type: 'Polygon' as const, coordinates: [[[118.7, 34.5], [118.8, 34.5], [118.8, 34.6], [118.7, 34.5]]] },
        properties: { label: [118.75, 34.55], name: 'x' },
      },
    ];
    expect(featuresToMap(features, WGS84_CRS)).toBe(features);
    const a = featuresToMap(features, GCJ02_CRS);
    expect(featuresToMap(features, GCJ02_CRS)).toBe(a);
    expect(a).not.toBe(features);
    expect(a[0].geometry.coordinates[0][0]).toEqual(wgs84ToGcj02(118.7, 34.5));
    expect(a[0].properties.label).toEqual(wgs84ToGcj02(118.75, 34.55));
    expect(features[0].geometry.coordinates[0][0]).toEqual([118.7, 34.5]); // input untouched
  });

  it('turns the visible map box into a WGS84 box for the server, and back', () => {
    const wgsBox: [number, number, number, number] = [118.6, 34.4, 118.9, 34.7];
    const mapBox = bboxToMap(wgsBox, GCJ02_CRS);
    expect(mapBox[0]).toBeGreaterThan(wgsBox[0]); // GCJ-02 lies east and north here
    const back = bboxFromMap(mapBox, GCJ02_CRS);
    back.forEach((v, i) => expect(Math.abs(v - wgsBox[i])).toBeLessThan(1e-4));
    expect(bboxFromMap(wgsBox, WGS84_CRS)).toEqual(wgsBox);
  });
});
