// Token buckets per key (an address, a device, an API key): each holds up to `burst` tokens and
// refills at `rate` a second; a request takes as many as it costs or waits. In memory, per process:
// a limit against floods and runaway clients, not an accounting. The number of keys is bounded.

export interface BucketLimit { rate: number; burst: number }

/** "100" (burst = 2 × rate) or "100/5000"; "0" turns the limit off (null). */
export function parseLimit(name: string, value: string): BucketLimit | null {
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`${name} must be RATE or RATE/BURST (per second), e.g. 100/5000; got "${value}"`);
  const rate = Number(m[1]);
  if (rate === 0) return null;
  const burst = m[2] === undefined ? Math.max(1, Math.ceil(rate * 2)) : Number(m[2]);
  if (burst < 1) throw new Error(`${name}: the burst must be at least 1`);
  return { rate, burst };
}

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly limit: BucketLimit, private maxKeys = 100_000, private now: () => number = () => performance.now()) {}

  /** Takes `cost` tokens from `key`'s bucket: 0 when allowed, else the seconds to wait before retrying. */
  take(key: string, cost = 1): number {
    const { rate, burst } = this.limit;
    // A request costing more than the burst could never pass: it may drain a full bucket instead.
    const need = Math.min(cost, burst);
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evict(t);
      b = { tokens: burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
    }
    if (b.tokens >= need) {
      b.tokens -= need;
      return 0;
    }
    return Math.max(1, Math.ceil((need - b.tokens) / rate));
  }

  /** Gives back what `take` took (a request refused for another reason after all). */
  refund(key: string, cost = 1) {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.limit.burst, b.tokens + Math.min(cost, this.limit.burst));
  }

  get size(): number { return this.buckets.size; }

  /** Forgets buckets that have refilled (nothing to remember), else the oldest tenth. */
  private evict(t: number) {
    const { rate, burst } = this.limit;
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1000) * rate >= burst) this.buckets.delete(k);
    if (this.buckets.size < this.maxKeys) return;
    let n = Math.ceil(this.maxKeys / 10);
    for (const k of this.buckets.keys()) { if (n-- <= 0) break; this.buckets.delete(k); }
  }
}
