// The county partition: exact counts, connected regions, proper nesting, determinism. Building the
// layout for the real county takes ~2 s, so it is built once per seed.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, TOTAL_GRIDS, type Layout } from '../../data/generate/layout.js';
import { buildCells } from '../../data/generate/cells.js';
import { growRegions, isConnected, farthestPointSeeds } from '../../data/generate/partition.js';
import { gridOutlines, signedArea } from '../../data/generate/outlines.js';
import { IndexedRing, type XY } from '../../data/generate/geo.js';
import { Rng } from '../../data/generate/random.js';

let L: Layout;
beforeAll(() => { L = buildLayout(20201076); });

describe('growRegions on a synthetic square', () => {
  const side = 6000;
  const square = new IndexedRing([[0, 0], [side, 0], [side, side], [0, side]]);
  const rng = new Rng(11);
  const sites: XY[] = Array.from({ length: 900 }, () => [rng.range(1, side - 1), rng.range(1, side - 1)] as XY);
  const cells = buildCells(sites, square, 500);
  const members = Array.from({ length: cells.n }, (_, i) => i);

  it('gives every region its seed, keeps regions connected and balances their sizes', () => {
    const k = 12;
    const seeds = farthestPointSeeds(cells, members, k, new Rng(1));
    const ones = new Float64Array(cells.n).fill(1);
    const label = growRegions({ cells, members, seeds, targets: new Array(k).fill(cells.n / k), measure: ones, edgeCost: cells.edgeLen, iterations: 40 });
    const sizes = new Array(k).fill(0);
    for (let i = 0; i < cells.n; i++) { expect(label[i]).toBeGreaterThanOrEqual(0); sizes[label[i]]++; }
    seeds.forEach((s, r) => expect(label[s]).toBe(r));
    for (let r = 0; r < k; r++) {
      expect(isConnected(cells, label, r)).toBe(true);
      expect(sizes[r] / (cells.n / k)).toBeGreaterThan(0.8);
      expect(sizes[r] / (cells.n / k)).toBeLessThan(1.25);
    }
  });

  it('marks cells fully inside the outline as interior', () => {
    expect(cells.interior.reduce((a, b) => a + b, 0)).toBeGreaterThan(cells.n * 0.8);
    const total = cells.area.reduce((a, b) => a + b, 0);
    expect(total / (side * side)).toBeGreaterThan(0.97);
    expect(total / (side * side)).toBeLessThan(1.03);
  });
});

describe('county partition', () => {
  it('has exactly 21 townships, 373 villages and 1,076 grids', () => {
    const p = L.partition;
    expect(new Set(p.township).size).toBe(21);
    expect(new Set(p.village).size).toBe(373);
    expect(new Set(p.grid).size).toBe(TOTAL_GRIDS);
    expect(p.grids.length).toBe(TOTAL_GRIDS);
    expect(p.gridsPerVillage.reduce((a, b) => a + b, 0)).toBe(TOTAL_GRIDS);
    expect(Math.min(...p.gridsPerVillage)).toBeGreaterThanOrEqual(1);
  });

  it('nests grids in villages and villages in the township the divisions list them under', () => {
    const { cells, partition: p, src } = L;
    for (let i = 0; i < cells.n; i++) {
      expect(p.grids[p.grid[i]].village).toBe(p.village[i]);
      expect(src.villages[p.village[i]].township).toBe(p.township[i]);
    }
  });

  it('keeps every township, village and grid connected', () => {
    const { cells, partition: p } = L;
    for (let t = 0; t < 21; t++) expect(isConnected(cells, p.township, t)).toBe(true);
    for (let v = 0; v < 373; v++) expect(isConnected(cells, p.village, v)).toBe(true);
    for (let g = 0; g < TOTAL_GRIDS; g++) expect(isConnected(cells, p.grid, g)).toBe(true);
  });

  it('numbers grids 1..k within each village and marks community grids urban', () => {
    const { partition: p, src } = L;
    const byVillage = new Map<number, number[]>();
    p.grids.forEach((g) => byVillage.set(g.village, [...(byVillage.get(g.village) ?? []), g.number]));
    for (const [v, nums] of byVillage) {
      expect(nums.sort((a, b) => a - b)).toEqual(nums.map((_, i) => i + 1));
      if (src.villages[v].subtype === '社区') for (const g of p.grids.filter((x) => x.village === v)) expect(g.urban).toBe(true);
    }
    const urban = p.grids.filter((g) => g.urban).length;
    expect(urban).toBeGreaterThan(150);
    expect(urban).toBeLessThan(400);
  });

  it('makes grids small in the county seat and large in the countryside', () => {
    const { cells, partition: p, src } = L;
    const area = new Float64Array(TOTAL_GRIDS);
    const sx = new Float64Array(TOTAL_GRIDS);
    const sy = new Float64Array(TOTAL_GRIDS);
    const n = new Float64Array(TOTAL_GRIDS);
    for (let i = 0; i < cells.n; i++) { area[p.grid[i]] += cells.area[i]; sx[p.grid[i]] += cells.sites[i][0]; sy[p.grid[i]] += cells.sites[i][1]; n[p.grid[i]]++; }
    const seat = src.townships[0].centreXY;
    const near: number[] = [];
    const far: number[] = [];
    for (let g = 0; g < TOTAL_GRIDS; g++) {
      const d = Math.hypot(sx[g] / n[g] - seat[0], sy[g] / n[g] - seat[1]);
      if (d < 2000) near.push(area[g]); else if (d > 15000) far.push(area[g]);
    }
    const median = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
    expect(near.length).toBeGreaterThan(40);
    expect(median(far) / median(near)).toBeGreaterThan(5);
  });

  it('is deterministic for a seed and different for another', () => {
    const again = buildLayout(20201076);
    expect(Array.from(again.partition.grid)).toEqual(Array.from(L.partition.grid));
    const other = buildLayout(42);
    expect(other.cells.sites[0]).not.toEqual(L.cells.sites[0]);
  });
});

describe('grid outlines', () => {
  it('gives every grid one outer ring and tiles the plane without gaps', () => {
    const { cells, partition: p } = L;
    const out = gridOutlines(cells, p.grid, TOTAL_GRIDS, { smoothPasses: 2, simplify: 6 });
    let total = 0;
    for (const rings of out.rings) {
      expect(rings.filter((r) => signedArea(r) > 0).length).toBe(1);
      for (const r of rings) total += signedArea(r.slice(0, -1));
    }
    const cellTotal = cells.polygonArea.reduce((a, b) => a + b, 0);
    // Smoothing moves shared arcs, which both neighbours use, so the total only changes at the
    // bounding-box corners, far outside the county.
    expect(Math.abs(total / cellTotal - 1)).toBeLessThan(1e-3);
  });
});
