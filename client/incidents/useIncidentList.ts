// One page of the incident list for the panel's filters: refetched every minute, when the filters
// or the page change, and when an incident changed (live or by this page).
import { useEffect } from 'react';
import { usePolling, type Polled } from '../api/usePolling.js';
import type { IncidentApi, IncidentList } from './api.js';

export const LIST_WINDOWS = ['24h', '7d', '30d', '90d'] as const;
export type ListWindow = (typeof LIST_WINDOWS)[number];
const WINDOW_MS: Record<ListWindow, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 };

export interface ListFilters {
  window: ListWindow;
  /** '' all, 'open', or one state */
  status: string;
  category: string;
  source: string;
  /** township code or '' */
  township: string;
  overdue: boolean;
  q: string;
}

export const DEFAULT_LIST_FILTERS: Readonly<ListFilters> = Object.freeze({
  window: '7d', status: 'open', category: '', source: '', township: '', overdue: false, q: '',
});
export const PAGE_SIZE = 20;
const REFRESH_MS = 60_000;

export function useIncidentList(api: IncidentApi, filters: ListFilters, page: number, changeSeq = 0): Polled<IncidentList> {
  const key = JSON.stringify([filters, page]);
  const list = usePolling(
    key,
    (signal) => api.list({
      statuses: filters.status ? [filters.status] : undefined,
      categories: filters.category ? [filters.category] : undefined,
      sources: filters.source ? [filters.source] : undefined,
      township: filters.township || undefined,
      overdue: filters.overdue ? true : undefined,
      q: filters.q || undefined,
      // Up to now (the server's clock): a report made a moment ago is in.
      from: new Date(Date.now() - WINDOW_MS[filters.window]).toISOString(),
      sort: 'urgency',
      limit: PAGE_SIZE,
      offset: page * PAGE_SIZE,
    }, signal),
    { intervalMs: REFRESH_MS },
  );
  const { refresh } = list;
  useEffect(() => {
    if (changeSeq > 0) refresh();
  }, [changeSeq, refresh]);
  return list;
}
