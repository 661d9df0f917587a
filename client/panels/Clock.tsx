// The wall clock (local time of the county's zone, not the PC's) and the data-freshness line: how
// long ago the last live message and the last KPI refresh arrived, and whether the page is
// reconnecting (socket.io status, failed fetches being retried with backoff).
import { useEffect, useState } from 'react';
import { useLocale, useT } from '../i18n/index.js';
import type { LiveStatus } from '../live/useLivePositions.js';
import { ageParts, formatClock, formatDateLine } from '../state/localTime.js';

/** The current time, ticking every `stepMs`. */
export function useTicker(stepMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), stepMs);
    return () => clearInterval(id);
  }, [stepMs]);
  return now;
}

export function Clock({ timezone, nowMs }: { timezone: string; nowMs: number }) {
  const [locale] = useLocale();
  return (
    <div className="clock" data-testid="clock" data-timezone={timezone}>
      <time className="clock__time" dateTime={new Date(nowMs).toISOString()}>{formatClock(nowMs, timezone, true)}</time>
      <span className="clock__date">{formatDateLine(nowMs, timezone, locale)}</span>
    </div>
  );
}

export interface FreshnessProps {
  /** Live socket status; null when the page shows no live data. */
  liveStatus: LiveStatus | null;
  lastLiveAt: number | null;
  lastKpiAt: number | null;
  /** Consecutive failed fetches (the worst source). */
  failures: number;
  nowMs: number;
}

export function Freshness({ liveStatus, lastLiveAt, lastKpiAt, failures, nowMs }: FreshnessProps) {
  const t = useT();
  const ago = (since: number | null) => {
    const a = ageParts(since, nowMs);
    if (!a) return t('screen.never');
    return a.unit === 's' ? t('screen.agoSeconds', { n: a.n }) : t('screen.agoMinutes', { n: a.n });
  };
  const reconnecting = liveStatus === 'reconnecting' || failures > 0;
  const state = reconnecting ? 'reconnecting' : liveStatus === 'connecting' ? 'connecting' : 'live';
  return (
    <div className={`freshness freshness--${state}`} data-testid="freshness" data-state={state} role="status">
      <span className="freshness__dot" aria-hidden />
      <span className="freshness__state">
        {state === 'reconnecting'
          ? failures > 0 && liveStatus !== 'reconnecting'
            ? t('screen.serverLost', { n: failures })
            : t('screen.reconnecting')
          : state === 'connecting'
            ? t('screen.connecting')
            : t('screen.live')}
      </span>
      {liveStatus !== null && <span className="freshness__age" data-testid="freshness-live">{t('screen.liveAgo', { ago: ago(lastLiveAt) })}</span>}
      <span className="freshness__age" data-testid="freshness-kpi">{t('screen.kpiAgo', { ago: ago(lastKpiAt) })}</span>
    </div>
  );
}
