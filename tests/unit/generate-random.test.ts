import { describe, expect, it } from 'vitest';
import { apportion, hash32, Rng, valueNoise, WeightedPicker } from '../../data/generate/random.js';
import { IndexedRing, pointInRing, project, unproject, type XY } from '../../data/generate/geo.js';

describe('Rng (mulberry32)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(20201076);
    const b = new Rng(20201076);
    const c = new Rng(20201077);
    const xa = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xa);
    for (const x of xa) { expect(x).toBeGreaterThanOrEqual(0); expect(x).toBeLessThan(1); }
  });

  it('derives independent named streams', () => {
    const x = Rng.derive(1, 'incidents').next();
    expect(Rng.derive(1, 'incidents').next()).toBe(x);
    expect(Rng.derive(1, 'cameras').next()).not.toBe(x);
    expect(hash32('a', 1)).not.toBe(hash32('a', 2));
  });

  it('has sane helpers: int bounds, normal moments, weighted shares', () => {
    const r = new Rng(7);
    const ints = Array.from({ length: 5000 }, () => r.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    const n = Array.from({ length: 20000 }, () => r.normal(10, 2));
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const picker = new WeightedPicker([1, 3, 0, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[picker.pick(r)]++;
    expect(counts[2]).toBe(0);
    expect(counts[3] / 20000).toBeCloseTo(0.6, 1);
    expect(counts[1] / 20000).toBeCloseTo(0.3, 1);
  });
});

describe('apportion', () => {
  it('hits the total exactly and respects the minimum', () => {
    const w = [5, 0.1, 3, 7.7, 0.01, 2];
    const out = apportion(w, 1076, 1);
    expect(out.reduce((a, b) => a + b, 0)).toBe(1076);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(1);
    expect(out[3]).toBeGreaterThan(out[0]);
  });
  it('refuses impossible minimums', () => {
    expect(() => apportion([1, 1, 1], 2, 1)).toThrow();
  });
});

describe('geometry helpers', () => {
  it('projects and unprojects around the county', () => {
    const [x, y] = project(118.76495, 34.52352);
    const [lon, lat] = unproject(x, y);
    expect(lon).toBeCloseTo(118.76495, 9);
    expect(lat).toBeCloseTo(34.52352, 9);
  });

  it('IndexedRing.contains agrees with a plain point-in-polygon test', () => {
    const r = new Rng(3);
    const ring: XY[] = [];
    for (let i = 0; i < 300; i++) {
      const t = (i / 300) * Math.PI * 2;
      const rad = 1000 * (1 + 0.4 * Math.sin(7 * t) + 0.2 * r.next());
      ring.push([Math.cos(t) * rad, Math.sin(t) * rad]);
    }
    const idx = new IndexedRing(ring, 200);
    for (let i = 0; i < 5000; i++) {
      const p: XY = [r.range(-1800, 1800), r.range(-1800, 1800)];
      expect(idx.contains(p)).toBe(pointInRing(p, ring));
    }
  });

  it('value noise stays in [-1, 1] and is smooth', () => {
    const n = valueNoise(5, 1000);
    for (let i = 0; i < 1000; i++) {
      const v = n(i * 37.1, i * 11.3);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
    expect(Math.abs(n(500, 500) - n(501, 500))).toBeLessThan(0.01);
  });
});
