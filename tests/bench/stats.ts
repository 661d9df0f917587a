// Small helpers for benchmarks: timing, percentiles and printing a table.
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
export const median = (v: number[]) => percentile(v, 50);

/** Runs fn `warmup` times unmeasured, then `n` times, returning the durations in ms. */
export async function timeIt(n: number, fn: () => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Runs a and b alternately so both see the same machine load; returns both duration lists. */
export async function sideBySide(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>, warmup = 3) {
  for (let i = 0; i < warmup; i++) { await a(); await b(); }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now(); await a(); ta.push(performance.now() - t);
    t = performance.now(); await b(); tb.push(performance.now() - t);
  }
  return [ta, tb] as const;
}

/** Like sideBySide for any number of alternatives, interleaved run by run. */
export async function interleaved(n: number, fns: Array<() => Promise<unknown>>, warmup = 3): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const f of fns) await f();
  const out = fns.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < fns.length; k++) { const t = performance.now(); await fns[k](); out[k].push(performance.now() - t); }
  }
  return out;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (v: number) => `${v.toFixed(2)} ms`;

export function table(title: string, rows: Array<Record<string, string | number>>) {
  console.log(`\n${title}`);
  console.table(rows);
}
