// Deterministic pseudo-random numbers. Every generator step draws from its own stream derived from
// (seed, label), so changing e.g. the number of incidents never changes the geometry or the people.

/** Mixes a string into a 32-bit hash (FNV-1a followed by a murmur-style finaliser). */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) { this.state = seed >>> 0; }

  /** A new independent stream for a named purpose. */
  static derive(seed: number, label: string): Rng { return new Rng(hash32(label, seed)); }

  /** mulberry32: uniform in [0, 1). Small, fast and good enough for synthetic data. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [a, b). */
  range(a: number, b: number): number { return a + (b - a) * this.next(); }

  /** Integer in [a, b] inclusive. */
  int(a: number, b: number): number { return a + Math.floor(this.next() * (b - a + 1)); }

  chance(p: number): boolean { return this.next() < p; }

  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exp(mean: number): number { return -Math.log(1 - this.next()) * mean; }

  /** Log-normal whose median is `median` and whose log has standard deviation `sigma`. */
  logNormal(median: number, sigma: number): number { return median * Math.exp(this.normal(0, sigma)); }

  /** Index drawn with probability proportional to weights (linear scan; see WeightedPicker for hot loops). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** O(log n) weighted sampling over a fixed weight table (cumulative sums + binary search). */
export class WeightedPicker {
  private readonly cum: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    for (let i = 0; i < weights.length; i++) { s += Math.max(0, weights[i]); this.cum[i] = s; }
    this.total = s;
  }

  pick(rng: Rng): number {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] > r) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
}

/** Splits `total` into integers proportional to weights (largest remainder), each at least `min`. */
export function apportion(weights: readonly number[], total: number, min = 0): number[] {
  const n = weights.length;
  if (n * min > total) throw new Error(`cannot give ${n} parts at least ${min} each out of ${total}`);
  const out = new Array<number>(n).fill(min);
  const rest = total - n * min;
  const sum = weights.reduce((a, b) => a + b, 0);
  if (rest === 0) return out;
  if (sum <= 0) throw new Error('apportion: weights sum to zero');
  const exact = weights.map((w) => (w / sum) * rest);
  let given = 0;
  exact.forEach((e, i) => { const f = Math.floor(e); out[i] += f; given += f; });
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < rest - given; k++) out[order[k].i] += 1;
  return out;
}

/** Smooth 2-D value noise in [-1, 1] on a lattice of the given cell size (metres), seeded. Used for
 * gently varying densities and boundary wander, so shapes are irregular but not salt-and-pepper. */
export function valueNoise(seed: number, cell: number): (x: number, y: number) => number {
  const lattice = (i: number, j: number) => (hash32(`${i},${j}`, seed) / 4294967296) * 2 - 1;
  const smooth = (t: number) => t * t * (3 - 2 * t);
  return (x: number, y: number) => {
    const fx = x / cell;
    const fy = y / cell;
    const i = Math.floor(fx);
    const j = Math.floor(fy);
    const u = smooth(fx - i);
    const v = smooth(fy - j);
    const a = lattice(i, j) + (lattice(i + 1, j) - lattice(i, j)) * u;
    const b = lattice(i, j + 1) + (lattice(i + 1, j + 1) - lattice(i, j + 1)) * u;
    return a + (b - a) * v;
  };
}

/** Two octaves of value noise, roughly in [-1, 1]. */
export function fractalNoise(seed: number, cell: number): (x: number, y: number) => number {
  const a = valueNoise(seed, cell);
  const b = valueNoise(seed ^ 0x9e3779b9, cell / 2.3);
  return (x, y) => (a(x, y) * 0.7 + b(x, y) * 0.3);
}
