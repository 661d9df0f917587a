import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GAP_SECONDS,
  haversineM,
  movingFraction,
  stoppedWithin,
  positionAt,
  positionsAt,
  prepareTrack,
  segmentIndex,
  stopAt,
  tracksBBox,
} from '../../client/replay/interpolate.js';
import type { Track } from '../../client/replay/types.js';

const T0 = Date.UTC(2026, 10, 27, 0, 0, 0) / 1000; // 08:00 in Donghai
const iso = (s: number) => new Date(s * 1000).toISOString();
const ms = (s: number) => s * 1000;

/**
 * 0 s → 60 s: east 0.001°; 60 → 120 s: north 0.001°; a stop of 5 minutes there (120 → 420 s);
 * then no positions for 30 minutes (a gap) and it reappears 1 km away; one more minute east.
 */
const track: Track = {
  workerId: 7,
  name: '王芳',
  gridId: 3,
  path: [
    [118.76, 34.46, T0],
    [118.761, 34.46, T0 + 60],
    [118.761, 34.461, T0 + 120],
    [118.761, 34.461, T0 + 420],
    [118.77, 34.465, T0 + 2220],
    [118.771, 34.465, T0 + 2280],
  ],
  points: 140,
  distanceM: 2400,
  stops: [{ lon: 118.761, lat: 34.461, from: iso(T0 + 120), to: iso(T0 + 420), minutes: 5 }],
};

const origin = ms(T0) - 30 * 60_000;
const prepared = prepareTrack(track, { index: 0, origin });

describe('prepareTrack', () => {
  it('keeps the vertices as typed arrays with times relative to the origin for the shader', () => {
    expect(Array.from(prepared.times)).toEqual(track.path.map((p) => p[2]));
    expect(prepared.coordinates[1]).toEqual([118.761, 34.46]);
    expect(prepared.relTimes[0]).toBe(1800);
    expect(prepared.relTimes[5]).toBe(1800 + 2280);
    expect(prepared.startMs).toBe(ms(T0));
    expect(prepared.endMs).toBe(ms(T0 + 2280));
    expect(prepared.stops[0]).toMatchObject({ workerId: 7, fromMs: ms(T0 + 120), toMs: ms(T0 + 420), trackIndex: 0 });
    expect(prepared.stopMinutes).toBe(5);
  });

  it('accumulates the great-circle length along the path', () => {
    const east = haversineM(118.76, 34.46, 118.761, 34.46);
    expect(east).toBeGreaterThan(90);
    expect(east).toBeLessThan(95); // 0.001° of longitude at 34.46° N ≈ 91.7 m
    expect(prepared.cum[1]).toBeCloseTo(east, 6);
    expect(prepared.cum[3]).toBeCloseTo(prepared.cum[2], 9); // standing still
    expect(prepared.cum[5]).toBeGreaterThan(prepared.cum[4]);
  });

  it('marks a long segment without positions as a gap, but not one inside a stop', () => {
    expect(Array.from(prepared.gapAfter)).toEqual([0, 0, 0, 1, 0]);
    // The same 30 minutes covered by a stop (standing still, phone reporting rarely) is no gap.
    const still = prepareTrack(
      { ...track, stops: [{ lon: 118.761, lat: 34.461, from: iso(T0 + 120), to: iso(T0 + 2220), minutes: 35 }] },
      { index: 0, origin },
    );
    expect(Array.from(still.gapAfter)).toEqual([0, 0, 0, 0, 0]);
    // A shorter threshold makes the 5-minute stop segment (not a stop here) a gap too.
    const strict = prepareTrack({ ...track, stops: [] }, { index: 0, origin, gapSeconds: 240 });
    expect(Array.from(strict.gapAfter)).toEqual([0, 0, 1, 1, 0]);
    expect(GAP_SECONDS).toBe(600);
  });

  it('sorts vertices by time', () => {
    const shuffled = prepareTrack({ ...track, path: [...track.path].reverse() }, { index: 0, origin });
    expect(Array.from(shuffled.times)).toEqual(Array.from(prepared.times));
  });
});

describe('positionAt', () => {
  it('before the first position: at the first vertex, not started', () => {
    expect(positionAt(prepared, ms(T0 - 10))).toEqual({ lon: 118.76, lat: 34.46, state: 'before', travelledM: 0 });
  });

  it('on a vertex and between two: interpolated linearly in time', () => {
    expect(positionAt(prepared, ms(T0))).toMatchObject({ lon: 118.76, lat: 34.46, state: 'active' });
    const mid = positionAt(prepared, ms(T0 + 30));
    expect(mid.state).toBe('active');
    expect(mid.lon).toBeCloseTo(118.7605, 9);
    expect(mid.lat).toBeCloseTo(34.46, 9);
    const quarter = positionAt(prepared, ms(T0 + 75));
    expect(quarter.lon).toBeCloseTo(118.761, 9);
    expect(quarter.lat).toBeCloseTo(34.46025, 9);
    // Sub-second times interpolate too.
    expect(positionAt(prepared, ms(T0) + 500).lon).toBeCloseTo(118.76 + 0.001 / 120, 9);
  });

  it('inside a stop: stopped, at the stop', () => {
    expect(positionAt(prepared, ms(T0 + 300))).toMatchObject({ lon: 118.761, lat: 34.461, state: 'stopped' });
    expect(stopAt(prepared.stops, ms(T0 + 300))?.minutes).toBe(5);
    expect(stopAt(prepared.stops, ms(T0 + 421))).toBeNull();
  });

  it('inside a gap: held at the last position, no gliding across the map', () => {
    for (const t of [T0 + 421, T0 + 1000, T0 + 2219]) {
      expect(positionAt(prepared, ms(t))).toMatchObject({ lon: 118.761, lat: 34.461, state: 'gap' });
    }
    // The first position after the gap.
    expect(positionAt(prepared, ms(T0 + 2220))).toMatchObject({ lon: 118.77, lat: 34.465, state: 'active' });
    expect(positionAt(prepared, ms(T0 + 2250)).lon).toBeCloseTo(118.7705, 9);
  });

  it('a segment holding a stop: still during the stop, moving only outside it', () => {
    // Simplified: one segment of 900 s covering a walk, a 5-minute stop and a walk on.
    const seg = prepareTrack(
      {
        ...track,
        path: [
          [118.76, 34.46, T0],
          [118.766, 34.46, T0 + 900],
        ],
        stops: [{ lon: 118.7615, lat: 34.46, from: iso(T0 + 300), to: iso(T0 + 600), minutes: 5 }],
      },
      { index: 0, origin },
    );
    expect(Array.from(seg.gapAfter)).toEqual([0]); // 900 s, but only 600 s outside the stop
    expect(movingFraction(seg.stops, ms(T0), ms(T0 + 900), ms(T0 + 150))).toBeCloseTo(150 / 600, 12);
    const at = (s: number) => positionAt(seg, ms(s));
    expect(at(T0 + 350)).toMatchObject({ state: 'stopped' });
    expect(at(T0 + 350).lon).toBeCloseTo(at(T0 + 590).lon, 12);
    expect(at(T0 + 300).lon).toBeCloseTo(118.76 + 0.006 * (300 / 600), 9);
    expect(at(T0 + 800).lon).toBeCloseTo(118.76 + 0.006 * (500 / 600), 9);
    expect(at(T0 + 800).state).toBe('active');
    expect(stoppedWithin(seg.stops, ms(T0), ms(T0 + 450))).toBe(150_000);
    // 100 s more outside the stop and the same segment is a gap: the phone was off on the way.
    const longer = prepareTrack({ ...track, path: [[118.76, 34.46, T0], [118.766, 34.46, T0 + 1000]], stops: seg.stops.map((x) => ({ ...x })) }, { index: 0, origin });
    expect(Array.from(longer.gapAfter)).toEqual([1]);
  });

  it('after the last position: held there, finished', () => {
    expect(positionAt(prepared, ms(T0 + 2280))).toMatchObject({ lon: 118.771, lat: 34.465, state: 'active' });
    expect(positionAt(prepared, ms(T0 + 9999))).toMatchObject({ lon: 118.771, lat: 34.465, state: 'after' });
  });

  it('reports the distance travelled, scaled to the server length of the full line', () => {
    expect(positionAt(prepared, ms(T0 + 9999)).travelledM).toBeCloseTo(2400, 6);
    expect(positionAt(prepared, ms(T0)).travelledM).toBe(0);
    let last = -1;
    for (let t = T0 - 60; t <= T0 + 2400; t += 7) {
      const d = positionAt(prepared, ms(t)).travelledM;
      expect(d).toBeGreaterThanOrEqual(last);
      last = d;
    }
  });

  it('copes with an empty path and a single position', () => {
    const empty = prepareTrack({ ...track, path: [], stops: [] }, { index: 0, origin });
    expect(positionAt(empty, ms(T0)).state).toBe('before');
    const one = prepareTrack({ ...track, path: [[118.76, 34.46, T0]], stops: [], distanceM: 0 }, { index: 0, origin });
    expect(positionAt(one, ms(T0 - 1)).state).toBe('before');
    expect(positionAt(one, ms(T0))).toEqual({ lon: 118.76, lat: 34.46, state: 'active', travelledM: 0 });
    expect(positionAt(one, ms(T0 + 1)).state).toBe('after');
  });

  it('two vertices at the same second do not divide by zero', () => {
    const dup = prepareTrack(
      { ...track, path: [[118.76, 34.46, T0], [118.761, 34.46, T0], [118.762, 34.46, T0 + 10]], stops: [] },
      { index: 0, origin },
    );
    const p = positionAt(dup, ms(T0));
    expect(Number.isFinite(p.lon)).toBe(true);
    expect(positionAt(dup, ms(T0 + 5)).lon).toBeCloseTo(118.7615, 9);
  });

  it('all workers at one time, in the order of the tracks', () => {
    const other = prepareTrack({ ...track, workerId: 8, path: track.path.map(([x, y, t]) => [x + 0.01, y, t + 600]) }, { index: 1, origin });
    const [a, b] = positionsAt([prepared, other], ms(T0 + 30));
    expect(a.state).toBe('active');
    expect(b.state).toBe('before');
    expect(tracksBBox([prepared, other])).toEqual([118.76, 34.46, 118.781, 34.465]);
    expect(tracksBBox([])).toBeNull();
  });
});

describe('segmentIndex (binary search)', () => {
  it('finds the last vertex at or before t, like a linear scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: -100, max: 10_100 }),
        (raw, t) => {
          const times = [...raw].sort((a, b) => a - b);
          let expected = -1;
          for (let i = 0; i < times.length; i++) if (times[i] <= t) expected = i;
          // With equal times any of them is "at or before"; the search returns one whose successor is later.
          const got = segmentIndex(times, t);
          if (expected === -1) return got === -1;
          return times[got] <= t && (got === times.length - 1 || times[got + 1] > t);
        },
      ),
    );
  });

  it('is -1 before the first vertex and the last index after the last', () => {
    expect(segmentIndex([10, 20, 30], 5)).toBe(-1);
    expect(segmentIndex([10, 20, 30], 10)).toBe(0);
    expect(segmentIndex([10, 20, 30], 25)).toBe(1);
    expect(segmentIndex([10, 20, 30], 30)).toBe(2);
    expect(segmentIndex([10, 20, 30], 99)).toBe(2);
    expect(segmentIndex([], 1)).toBe(-1);
  });
});
