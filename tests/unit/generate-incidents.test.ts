// Incidents on a synthetic county of 40 square grids: counts, codes, life cycles, time profile and
// seasons (the real geometry is exercised by the integration test).
import { describe, expect, it } from 'vitest';
import { CATEGORIES, generateIncidents, type IncidentBatch, type IncidentGrid } from '../../data/generate/incidents.js';
import { pointInRing, type XY } from '../../data/generate/geo.js';

const grids: IncidentGrid[] = Array.from({ length: 40 }, (_, i) => {
  const x = 118.7 + (i % 8) * 0.01;
  const y = 34.5 + Math.floor(i / 8) * 0.01;
  const ring: XY[] = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]];
  return { id: i + 1, villageId: 100 + Math.floor(i / 4), townshipId: 10 + Math.floor(i / 20), urban: i < 10, weight: 1, polygon: [ring], addressPrefix: '测试镇', street: i < 10 ? '人民路' : null, streetIsRoad: false, workers: [1000 + i, 2000 + i] };
});
const departments = new Map<string, number>();
for (const c of CATEGORIES) for (const d of c.departments) if (!departments.has(d)) departments.set(d, departments.size + 1);
const until = new Date('2026-03-15T15:30:00+08:00');

function run(total: number): IncidentBatch {
  const all: IncidentBatch = { code: [], category: [], source: [], status: [], priority: [], description: [], address: [], lon: [], lat: [], gridId: [], villageId: [], townshipId: [], reporter: [], department: [], reportedAt: [], acceptedAt: [], dispatchedAt: [], resolvedAt: [], closedAt: [], dueAt: [], rating: [] };
  for (const b of generateIncidents({ grids, hotspots: [], departments, locate: () => -1, seed: 7, total, until }, 5000)) {
    for (const k of Object.keys(all) as (keyof IncidentBatch)[]) (all[k] as unknown[]).push(...(b[k] as unknown[]));
  }
  return all;
}

const N = 60000;
const inc = run(N);
const H = 3600_000;
const local = (ms: number) => new Date(ms + 8 * H);

describe('incident generator', () => {
  it('produces exactly the requested number, with unique day-sequenced codes', () => {
    expect(inc.code.length).toBe(N);
    expect(new Set(inc.code).size).toBe(N);
    for (let i = 0; i < N; i += 97) expect(inc.code[i]).toMatch(/^SJ20(25|26)\d{4}-\d{6}$/);
    expect(inc.code[N - 1].startsWith('SJ20260315-')).toBe(true);
  });

  it('spans one year up to `until` and has a realistic share today', () => {
    const min = Math.min(...inc.reportedAt);
    const max = Math.max(...inc.reportedAt);
    expect(max).toBeLessThanOrEqual(until.getTime());
    expect(until.getTime() - min).toBeLessThanOrEqual(365 * 24 * H);
    expect(until.getTime() - min).toBeGreaterThan(364 * 24 * H);
    const today = inc.reportedAt.filter((t) => local(t).toISOString().slice(0, 10) === '2026-03-15').length;
    // 15:30 on a Sunday: most of an ordinary day's volume is already in.
    expect(today).toBeGreaterThan(0.3 * (N / 365));
    expect(today).toBeLessThan(1.2 * (N / 365));
  });

  it('follows the hour of day and the weekday', () => {
    const hours = new Array(24).fill(0);
    const dows = new Array(7).fill(0);
    for (const t of inc.reportedAt) { hours[local(t).getUTCHours()]++; dows[local(t).getUTCDay()]++; }
    expect(hours[10]).toBeGreaterThan(10 * hours[3]);
    expect(hours[15]).toBeGreaterThan(2 * hours[12] * 0.9);
    expect(dows[3]).toBeGreaterThan(1.2 * dows[0]);
  });

  it('has seasonal categories: 秸秆焚烧 in June and October, 防汛 in July–August', () => {
    const share = (cat: string, month: number) => {
      let n = 0; let all = 0;
      inc.reportedAt.forEach((t, i) => { if (local(t).getUTCMonth() + 1 === month) { all++; if (inc.category[i] === cat) n++; } });
      return n / all;
    };
    expect(share('秸秆焚烧', 6)).toBeGreaterThan(0.05);
    expect(share('秸秆焚烧', 10)).toBeGreaterThan(0.05);
    expect(share('秸秆焚烧', 1)).toBeLessThan(0.01);
    expect(share('防汛', 7)).toBeGreaterThan(0.05);
    expect(share('防汛', 12)).toBeLessThan(0.01);
  });

  it('has the expected mix of sources', () => {
    const s = (src: string) => inc.source.filter((x) => x === src).length / N;
    expect(s('grid_worker')).toBeGreaterThan(0.55);
    expect(s('grid_worker')).toBeLessThan(0.65);
    expect(s('hotline')).toBeGreaterThan(0.25);
    expect(s('hotline')).toBeLessThan(0.35);
    expect(s('police_110')).toBeGreaterThan(0.04);
    expect(s('petition')).toBeGreaterThan(0.025);
  });

  it('keeps timestamps consistent with the status, and closes old incidents', () => {
    const u = until.getTime();
    const bad: string[] = [];
    const check = (ok: boolean, what: string, i: number) => { if (!ok && bad.length < 5) bad.push(`${inc.code[i]} ${inc.status[i]}: ${what}`); };
    let oldClosed = 0; let old = 0;
    const recent = new Set<string>();
    for (let i = 0; i < N; i++) {
      const r = inc.reportedAt[i];
      const a = inc.acceptedAt[i]; const d = inc.dispatchedAt[i]; const s = inc.resolvedAt[i]; const c = inc.closedAt[i];
      for (const t of [a, d, s, c]) if (t !== null) check(t >= r && t <= u, 'timestamp outside [reported_at, until]', i);
      if (a !== null && d !== null) check(d >= a, 'dispatched before accepted', i);
      if (s !== null) check(s >= (d ?? a ?? Infinity), 'resolved before dispatch/acceptance', i);
      if (c !== null && s !== null) check(c >= s, 'closed before resolved', i);
      check(inc.dueAt[i] > r, 'due before reported', i);
      const st = inc.status[i];
      if (st === 'reported') check(a === null, 'reported but accepted_at set', i);
      if (st === 'resolved' || st === 'rated') check(s !== null, 'no resolved_at', i);
      if (st === 'closed') check(c !== null && s !== null, 'closed without closed_at/resolved_at', i);
      const rating = inc.rating[i];
      if (st === 'rated' || st === 'closed') check(rating !== null && rating >= 1 && rating <= 5, 'no rating', i);
      else check(rating === null, 'rating before rated', i);
      if (d !== null) check(inc.department[i] !== null, 'dispatched without department', i);
      check((inc.source[i] === 'grid_worker') === (inc.reporter[i] !== null), 'reporter only for grid_worker', i);
      if (u - r > 3 * 24 * H) { old++; if (st === 'closed' || st === 'void') oldClosed++; }
      if (u - r < 24 * H) recent.add(st);
    }
    expect(bad).toEqual([]);
    expect(oldClosed / old).toBeGreaterThan(0.97);
    for (const st of ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'rated']) expect(recent).toContain(st);
    const ratings = inc.rating.filter((x): x is number => x !== null);
    expect(ratings.filter((x) => x >= 4).length / ratings.length).toBeGreaterThan(0.75);
  });

  it('places every incident inside the grid it is filed under', () => {
    for (let i = 0; i < N; i += 13) {
      const g = grids[inc.gridId[i] - 1];
      expect(pointInRing([inc.lon[i], inc.lat[i]], g.polygon[0])).toBe(true);
      expect(inc.villageId[i]).toBe(g.villageId);
      expect(inc.description[i].startsWith(inc.address[i])).toBe(true);
    }
  });

  it('is deterministic', () => {
    const again = run(3000);
    const again2 = run(3000);
    expect(again2.code).toEqual(again.code);
    expect(again2.lon).toEqual(again.lon);
    expect(again2.status).toEqual(again.status);
  });
});
