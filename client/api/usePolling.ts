// Fetching that survives a lost server: a request per key, repeated every `intervalMs` when asked,
// and after a failure retried with exponential backoff (1 s, 2 s, 4 s … capped) until it works
// again. The last good data stays on screen meanwhile; `failures` and `lastSuccessAt` tell the UI
// how stale it is. A new key aborts the request in flight; the previous data is kept until the new
// answer arrives (no flashing empty layers), and `dataKey` says which key the data belongs to.
import { useCallback, useEffect, useState } from 'react';
import { useLatest } from '../useLatest.js';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/** Delay before retry number `attempt` (1-based): initial · 2^(attempt-1), capped, ±20 % jitter. */
export function backoffDelay(attempt: number, { initialMs = 1000, maxMs = 30_000 }: BackoffOptions = {}, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface Polled<T> {
  data: T | null;
  /** The key `data` was fetched for. */
  dataKey: string | null;
  error: Error | null;
  /** Consecutive failures (0 once a request succeeds). */
  failures: number;
  lastSuccessAt: number | null;
  loading: boolean;
  /** Fetch again now. */
  refresh(): void;
}

export interface PollingOptions extends BackoffOptions {
  /** Repeat every so many ms after a success (omit: fetch once per key). */
  intervalMs?: number;
  /** Keep the previous key's data while the new key loads (default true). */
  keepPrevious?: boolean;
}

/**
 * `key` null disables fetching (and clears the data). `fetcher` is read from a ref: a new function
 * each render is fine, only the key decides when to fetch.
 */
export function usePolling<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>, options: PollingOptions = {}): Polled<T> {
  const { intervalMs, initialMs, maxMs, keepPrevious = true } = options;
  const fetcherRef = useLatest(fetcher);
  const [state, setState] = useState<Omit<Polled<T>, 'refresh'>>({
    data: null,
    dataKey: null,
    error: null,
    failures: 0,
    lastSuccessAt: null,
    loading: key !== null,
  });
  const [nonce, setNonce] = useState(0);
  const refresh = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (key === null) {
      setState((s) => (s.data === null && !s.loading && s.dataKey === null ? s : { ...s, data: null, dataKey: null, loading: false, error: null, failures: 0 }));
      return;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ac: AbortController | undefined;
    let failures = 0;
    if (!keepPrevious) setState((s) => (s.dataKey === key ? s : { ...s, data: null, dataKey: null }));

    const run = () => {
      ac = new AbortController();
      setState((s) => (s.loading ? s : { ...s, loading: true }));
      fetcherRef.current(ac.signal).then(
        (data) => {
          if (cancelled) return;
          failures = 0;
          setState({ data, dataKey: key, error: null, failures: 0, lastSuccessAt: Date.now(), loading: false });
          if (intervalMs) timer = setTimeout(run, intervalMs);
        },
        (err: unknown) => {
          if (cancelled) return;
          failures++;
          const error = err instanceof Error ? err : new Error(String(err));
          setState((s) => ({ ...s, error, failures, loading: false }));
          timer = setTimeout(run, backoffDelay(failures, { initialMs, maxMs }));
        },
      );
    };
    run();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      ac?.abort();
    };
  }, [key, nonce, intervalMs, initialMs, maxMs, keepPrevious]);

  return { ...state, refresh };
}
