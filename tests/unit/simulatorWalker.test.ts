import { describe, expect, it } from 'vitest';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import { Walker, type Fix } from '../../server/simulator/walker.js';

// Two neighbouring squares of about 550 m near the county seat.
const square = (x: number, y: number, d = 0.006): Polygon =>
  ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const grid = square(118.75, 34.52);
const neighbour = square(118.756, 34.52);
const inside = (f: Fix, p: Polygon) => booleanPointInPolygon([f.lon, f.lat], p);

/** A shift of `hours` at one report every 10 s for each of `n` walkers. */
function shift(n: number, hours: number) {
  const fixes: Fix[] = [];
  let silent = 0;
  for (let id = 1; id <= n; id++) {
    const w = new Walker({ workerId: id, deviceId: `d${id}`, grid, neighbours: [neighbour], shiftStart: 8 * 60, shiftEnd: 17 * 60 }, 42);
    let now = Date.parse('2026-11-27T00:00:00Z');
    for (let k = 0; k < hours * 360; k++) {
      now += 10_000;
      const fix = w.step(10, now);
      if (fix) fixes.push(fix); else silent++;
    }
  }
  return { fixes, silent, reports: n * hours * 360 };
}

describe('simulated grid worker', () => {
  const { fixes, silent, reports } = shift(60, 8);

  it('patrols its own grid most of the time and sometimes strays into a neighbouring one', () => {
    const own = fixes.filter((f) => inside(f, grid)).length;
    const next = fixes.filter((f) => inside(f, neighbour)).length;
    expect(own / fixes.length).toBeGreaterThan(0.85);
    expect(next).toBeGreaterThan(0);
    // GPS noise of a few metres aside, never anywhere else
    const away = fixes.filter((f) => !inside(f, grid) && !inside(f, neighbour));
    expect(away.length / fixes.length).toBeLessThan(0.01);
  });

  it('walks or rides at plausible speeds and pauses in between', () => {
    const moving = fixes.filter((f) => f.speed > 0);
    expect(fixes.reduce((m, f) => Math.max(m, f.speed), 0)).toBeLessThanOrEqual(5.5 * 1.15);
    expect(moving.length / fixes.length).toBeGreaterThan(0.2);
    expect(moving.length / fixes.length).toBeLessThan(0.95);
    for (const f of fixes.slice(0, 500)) {
      expect(f.heading).toBeGreaterThanOrEqual(0);
      expect(f.heading).toBeLessThanOrEqual(360);
      expect(f.battery).toBeGreaterThanOrEqual(5);
      expect(f.accuracy).toBeGreaterThanOrEqual(3);
    }
  });

  it('some phones go quiet for a while, most of the time they report', () => {
    expect(silent / reports).toBeGreaterThan(0.01);
    expect(silent / reports).toBeLessThan(0.15);
  });

  it('is on shift only during its working hours, overnight shifts included', () => {
    const day = new Walker({ workerId: 1, deviceId: 'd1', grid, neighbours: [], shiftStart: 8 * 60, shiftEnd: 17 * 60 }, 1);
    expect([7 * 60 + 59, 8 * 60, 16 * 60 + 59, 17 * 60].map((m) => day.onShift(m))).toEqual([false, true, true, false]);
    const night = new Walker({ workerId: 2, deviceId: 'd2', grid, neighbours: [], shiftStart: 22 * 60, shiftEnd: 6 * 60 }, 1);
    expect([21 * 60, 22 * 60, 0, 5 * 60 + 59, 6 * 60, 12 * 60].map((m) => night.onShift(m))).toEqual([false, true, true, true, false, false]);
  });

  it('is the same walk for the same seed', () => {
    const a = new Walker({ workerId: 7, deviceId: 'd7', grid, neighbours: [neighbour], shiftStart: 0, shiftEnd: 0 }, 9);
    const b = new Walker({ workerId: 7, deviceId: 'd7', grid, neighbours: [neighbour], shiftStart: 0, shiftEnd: 0 }, 9);
    const t = Date.parse('2026-11-27T00:00:00Z');
    for (let k = 1; k <= 50; k++) expect(a.step(10, t + k * 10_000)).toEqual(b.step(10, t + k * 10_000));
  });
});
