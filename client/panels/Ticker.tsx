// The ticker of new high-priority incidents (GET /api/incidents/recent?priority=1&limit=20,
// refreshed every 30 s). Items that appeared since the previous refresh are marked new. On the
// operator view a click flies to the incident; on the wall the page cycles through the items by
// itself (`activeId`).
import { useEffect, useRef, useState } from 'react';
import type { ApiClient, RecentIncident } from '../api/client.js';
import { usePolling, type Polled } from '../api/usePolling.js';
import { useT, type MessageKey } from '../i18n/index.js';
import { formatClock, formatDateTime } from '../state/localTime.js';
import { statusGroup } from '../state/domain.js';
import { shortRegionName } from '../map/layers/regionsLayer.js';

export const TICKER_REFRESH_MS = 30_000;

export function useRecentIncidents(api: ApiClient, intervalMs = TICKER_REFRESH_MS): Polled<RecentIncident[]> {
  return usePolling('recent:1:20', (signal) => api.recentIncidents(1, 20, signal), { intervalMs });
}

/** Ids that were not in the previous answer (none on the first one). */
export function useNewIds(items: readonly RecentIncident[] | null): ReadonlySet<number> {
  const prev = useRef<Set<number> | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    if (!items) return;
    const ids = new Set(items.map((i) => i.id));
    if (prev.current) setFresh(new Set([...ids].filter((id) => !prev.current!.has(id))));
    prev.current = ids;
  }, [items]);
  return fresh;
}

export interface TickerProps {
  items: readonly RecentIncident[] | null;
  timezone: string;
  activeId?: number | null;
  onSelect?: (item: RecentIncident) => void;
  variant?: 'operator' | 'screen';
  /** Most items shown (the wall has a fixed height). */
  max?: number;
}

export function Ticker({ items, timezone, activeId = null, onSelect, variant = 'operator', max = 20 }: TickerProps) {
  const t = useT();
  const fresh = useNewIds(items);
  const listRef = useRef<HTMLOListElement>(null);
  // Keep the active item in view on the wall (no scrolling by hand there).
  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>('[data-active="true"]');
    el?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [activeId]);
  const now = Date.now();
  return (
    <section className={`ticker ticker--${variant}`} aria-label={t('ticker.title')} data-testid="ticker">
      <h2 className="panel-title">
        <span className="panel-title__mark panel-title__mark--bad" aria-hidden />
        {t('ticker.title')}
        {items ? <span className="panel-title__count">{items.length}</span> : null}
      </h2>
      {items && items.length === 0 && <p className="ticker__empty">{t('ticker.empty')}</p>}
      <ol className="ticker__list" ref={listRef}>
        {(items ?? []).slice(0, max).map((it) => {
          const group = statusGroup(it.status);
          const recent = now - Date.parse(it.reportedAt) < 86_400_000;
          const content = (
            <>
              <time className="ticker__time" dateTime={it.reportedAt}>
                {recent ? formatClock(it.reportedAt, timezone) : formatDateTime(it.reportedAt, timezone)}
              </time>
              <span className="ticker__body">
                <span className="ticker__category">
                  {fresh.has(it.id) && <span className="ticker__new">{t('ticker.new')}</span>}
                  {it.category}
                </span>
                <span className="ticker__place">{[it.township, it.village && shortRegionName(it.village)].filter(Boolean).join(' · ')}</span>
              </span>
              <span className={`status-chip status-chip--${group}`}>{t(`status.${it.status}` as MessageKey)}</span>
            </>
          );
          return (
            <li
              key={it.id}
              className="ticker__item"
              data-incident-id={it.id}
              data-active={activeId === it.id ? 'true' : undefined}
            >
              {onSelect ? (
                <button type="button" className="ticker__button" onClick={() => onSelect(it)}>
                  {content}
                </button>
              ) : (
                <div className="ticker__button">{content}</div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
