import { describe, expect, it } from 'vitest';
import { DEPARTMENT_COUNT, makeDepartments, makeWorkers, WORKER_COUNT, type GridInfo } from '../../data/generate/people.js';
import { Rng } from '../../data/generate/random.js';

// 1,076 grids over 373 villages, as in the county: a few urban villages with many grids.
function fakeGrids(): GridInfo[] {
  const rng = new Rng(5);
  const grids: GridInfo[] = [];
  for (let v = 0; v < 373; v++) {
    const urban = v < 25;
    const k = v === 372 ? 1076 - grids.length : urban ? 8 : rng.int(2, 2);
    for (let n = 1; n <= k; n++) grids.push({ urban, village: v, number: n });
  }
  return grids;
}

describe('departments', () => {
  it('are 66 distinct, coded D01..D66, with 0518 phone numbers', () => {
    const d = makeDepartments(1);
    expect(d.length).toBe(DEPARTMENT_COUNT);
    expect(new Set(d.map((x) => x.name)).size).toBe(66);
    expect(d.map((x) => x.code)).toEqual(Array.from({ length: 66 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`));
    for (const x of d) expect(x.phone).toMatch(/^0518-8\d{7}$/);
    for (const name of ['县公安局', '县城市管理局', '县住房和城乡建设局', '县水利局', '国网东海县供电公司', '东海县自来水有限公司']) expect(d.map((x) => x.name)).toContain(name);
  });
});

describe('workers', () => {
  const grids = fakeGrids();
  const workers = makeWorkers(grids, 20201076);

  it('are exactly 2,911 with at least one per grid', () => {
    expect(grids.length).toBe(1076);
    expect(workers.length).toBe(WORKER_COUNT);
    const perGrid = new Array(grids.length).fill(0);
    for (const w of workers) perGrid[w.grid]++;
    expect(Math.min(...perGrid)).toBeGreaterThanOrEqual(1);
  });

  it('have one 网格长 per village, a full-timer in each urban grid and a part-timer in each rural one', () => {
    const leaders = workers.filter((w) => w.role === 'grid_leader');
    expect(leaders.length).toBe(373);
    expect(new Set(leaders.map((w) => grids[w.grid].village)).size).toBe(373);
    grids.forEach((g, i) => {
      const roles = workers.filter((w) => w.grid === i).map((w) => w.role);
      expect(roles).toContain(g.urban ? 'full_time' : 'part_time');
    });
    const urbanPer = workers.filter((w) => grids[w.grid].urban).length / grids.filter((g) => g.urban).length;
    const ruralPer = workers.filter((w) => !grids[w.grid].urban).length / grids.filter((g) => !g.urban).length;
    expect(urbanPer).toBeGreaterThan(ruralPer);
  });

  it('have plausible names, unique mobile numbers and unique 6-digit device ids', () => {
    expect(new Set(workers.map((w) => w.phone)).size).toBe(workers.length);
    expect(new Set(workers.map((w) => w.deviceId)).size).toBe(workers.length);
    for (const w of workers) {
      expect(w.phone).toMatch(/^1[358]\d{9}$/);
      expect(w.deviceId).toMatch(/^\d{6}$/);
      expect(w.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(w.code).toMatch(/^W\d{6}$/);
    }
    const day = workers.filter((w) => w.shiftStart === '08:00' && w.shiftEnd === '17:30').length;
    expect(day / workers.length).toBeGreaterThan(0.7);
  });

  it('is deterministic', () => {
    expect(makeWorkers(grids, 20201076)).toEqual(workers);
    expect(makeWorkers(grids, 1)[0].name + makeWorkers(grids, 1)[1].phone).not.toBe(workers[0].name + workers[1].phone);
  });
});
