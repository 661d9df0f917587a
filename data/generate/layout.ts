// Puts the pure pieces together: sources → water and main roads → fine cells → township / village /
// grid partition → village roads. No database; the preview script and the seeder both start here.
import { fractalNoise, Rng } from './random.js';
import { IndexedRing, type XY } from './geo.js';
import { loadSources, type Sources } from './sources.js';
import { buildCells, densityFn, guideSites, sampleSites, type Cells, type DensityModel } from './cells.js';
import { partitionCounty, type Partition } from './partition.js';
import { barrierMultipliers, generateBaseNetwork, villageRoads, type Road, type Water } from './roads.js';

export const TOTAL_GRIDS = 1076;
/** Fine cells: ~9 per grid on average keeps grid outlines at ~20–25 vertices. */
export const FINE_CELLS = 9400;

export interface Layout {
  seed: number;
  src: Sources;
  outline: IndexedRing;
  cells: Cells;
  partition: Partition;
  roads: Road[];
  water: Water[];
  /** Per village: centre point (projected), the site of its seed cell (on dry land). */
  villageCentres: XY[];
  /** Is a projected point on a reservoir? */
  inWater: (p: XY) => boolean;
  timings: Record<string, number>;
}

export function densityModel(src: Sources, seed: number, inWater: (p: XY) => boolean): DensityModel {
  const bumps = [];
  for (const t of src.townships) {
    if (t.code === '320722001') {
      // The county seat: a dense core and a wider peri-urban ring.
      bumps.push({ xy: t.centreXY, peak: 55, sigma: 2100 }, { xy: t.centreXY, peak: 7, sigma: 5000 });
    } else if (t.subtype === '开发区') {
      bumps.push({ xy: t.centreXY, peak: 9, sigma: 1500 });
    } else if (t.subtype === '街道') {
      bumps.push({ xy: t.centreXY, peak: 16, sigma: 1100 });
    } else {
      bumps.push({ xy: t.centreXY, peak: 11, sigma: 800 });
    }
  }
  return { base: 3.0, bumps, factor: (p) => (inWater(p) ? 0.35 : 1), noiseSeed: seed ^ 0x5eed };
}

function edgeCosts(cells: Cells, seed: number, level: string, noiseCell: number, noiseAmp: number, jitter: number, barrier: Float64Array): Float64Array {
  const rng = Rng.derive(seed, `edge-${level}`);
  const noise = fractalNoise(seed ^ noiseCell, noiseCell);
  const out = new Float64Array(cells.edgeA.length);
  for (let e = 0; e < out.length; e++) {
    const a = cells.sites[cells.edgeA[e]];
    const b = cells.sites[cells.edgeB[e]];
    const n = noise((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
    out[e] = cells.edgeLen[e] * Math.exp(noiseAmp * n + rng.normal(0, jitter)) * barrier[e];
  }
  return out;
}

export function buildLayout(seed: number): Layout {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => { const t = performance.now(); timings[name] = Math.round(t - t0); t0 = t; };
  const src = loadSources();
  const outline = new IndexedRing(src.outlineXY);
  const net = generateBaseNetwork(src.townships, seed);
  const model = densityModel(src, seed, net.inWater);
  // Rivers everywhere and roads in built-up areas get mirrored point pairs, so cell edges run
  // along them and boundaries can follow them as real ones do.
  const dens = densityFn(model);
  const guides = guideSites([
    ...net.water.filter((w) => w.line).map((w) => ({ line: w.line!, minDensity: 0 })),
    ...net.water.filter((w) => w.polygon).map((w) => ({ line: w.polygon!, minDensity: 0 })),
    ...net.roads.map((r) => ({ line: r.line, minDensity: r.class === 'street' ? 10 : 14 })),
  ], dens);
  const sites = sampleSites(outline, model, Rng.derive(seed, 'sites'), FINE_CELLS, guides);
  lap('sites');
  const cells = buildCells(sites, outline);
  lap('cells');

  // Rivers, lake shores and roads make crossing an edge dearer, so boundaries tend to follow them.
  const lines = (w: Record<string, number>) => [
    ...net.water.map((f) => ({ line: f.line ?? f.polygon!, weight: w[f.class] ?? 1 })),
    ...net.roads.map((r) => ({ line: r.line, weight: w[r.class] ?? 1 })),
  ];
  const bT = barrierMultipliers(lines({ river: 3.5, reservoir: 3, expressway: 1.6, national: 1.8, provincial: 1.8, county: 1.3 }), cells.edgeA, cells.edgeB, cells.sites);
  const bV = barrierMultipliers(lines({ river: 2.5, reservoir: 2.5, expressway: 2, national: 2.5, provincial: 2.5, county: 1.5, street: 4 }), cells.edgeA, cells.edgeB, cells.sites);
  const bG = barrierMultipliers(lines({ river: 2, reservoir: 2, expressway: 2.2, national: 2.5, provincial: 2.5, county: 1.8, street: 4 }), cells.edgeA, cells.edgeB, cells.sites);
  const costs = {
    township: edgeCosts(cells, seed, 'township', 9000, 0.55, 0.2, bT),
    village: edgeCosts(cells, seed, 'village', 3500, 0.5, 0.25, bV),
    grid: edgeCosts(cells, seed, 'grid', 1200, 0.4, 0.25, bG),
  };
  lap('costs');

  const townships = src.townships.map((t) => ({
    centre: t.centreXY,
    area: t.area,
    street: t.subtype === '街道',
    villages: t.villages.map((vi) => {
      const v = src.villages[vi];
      const stem = t.name.replace(/(街道|镇|乡)$/, '');
      return { urban: v.urban, centre: v.name.startsWith(stem) || v.name.startsWith(stem.slice(0, 2)) };
    }),
  }));
  const partition = partitionCounty({ cells, townships, totalGrids: TOTAL_GRIDS, rng: Rng.derive(seed, 'partition'), costs });
  lap('partition');

  // A village's centre (its committee, where village roads and cameras start) is its seed cell, or
  // the nearest of its cells on dry land when the seed lies on a reservoir.
  const villageCentres = partition.villageCentre.map((c, v) => {
    if (!net.inWater(cells.sites[c])) return cells.sites[c];
    let best = c;
    let bestD = Infinity;
    for (let i = 0; i < cells.n; i++) {
      if (partition.village[i] !== v || net.inWater(cells.sites[i])) continue;
      const d = Math.hypot(cells.sites[i][0] - cells.sites[c][0], cells.sites[i][1] - cells.sites[c][1]);
      if (d < bestD) { bestD = d; best = i; }
    }
    return cells.sites[best];
  });
  const vRoads = villageRoads(net.roads, src.villages.flatMap((v, i) => (v.subtype === '村' ? [{ name: v.name, centre: villageCentres[i] }] : [])), seed, net.lakes);
  lap('village-roads');
  return { seed, src, outline, cells, partition, roads: [...net.roads, ...vRoads], water: net.water, villageCentres, inWater: net.inWater, timings };
}
