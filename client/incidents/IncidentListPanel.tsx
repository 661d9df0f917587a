// The incident list of the operator view: filters (state, category, source, township, overdue,
// time window, code or words), the most urgent first (overdue, open, priority, deadline), a page
// at a time. Clicking an item selects it (the drawer opens and the map flies there).
import { useEffect, useState } from 'react';
import { useT, type MessageKey } from '../i18n/index.js';
import { INCIDENT_CATEGORIES, INCIDENT_SOURCES, INCIDENT_STATUSES, statusGroup } from '../state/domain.js';
import { formatDateTime } from '../state/localTime.js';
import { shortRegionName } from '../map/layers/regionsLayer.js';
import type { IncidentApi, IncidentListItem } from './api.js';
import { useIncidentT } from './strings.js';
import { DEFAULT_LIST_FILTERS, LIST_WINDOWS, PAGE_SIZE, useIncidentList, type ListFilters } from './useIncidentList.js';
import './incidents.css';

export interface IncidentListPanelProps {
  api: IncidentApi;
  timezone: string;
  /** Township options: code and name. */
  townships: ReadonlyArray<{ code: string; name: string }>;
  selectedId: number | null;
  onSelect: (item: IncidentListItem) => void;
  /** Opens the report form. */
  onNew?: () => void;
  /** Bumps when an incident changed (refetch). */
  changeSeq?: number;
}

const WINDOW_KEYS = { '24h': 'window24h', '7d': 'window7d', '30d': 'window30d', '90d': 'window90d' } as const;

export function IncidentListPanel({ api, timezone, townships, selectedId, onSelect, onNew, changeSeq = 0 }: IncidentListPanelProps) {
  const t = useIncidentT();
  const tt = useT();
  const [filters, setFilters] = useState<ListFilters>({ ...DEFAULT_LIST_FILTERS });
  const [page, setPage] = useState(0);
  const [text, setText] = useState('');
  const list = useIncidentList(api, filters, page, changeSeq);
  const set = (patch: Partial<ListFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(0);
  };
  // Typing settles before it becomes a query.
  useEffect(() => {
    const v = text.trim();
    if (v === filters.q) return;
    const timer = setTimeout(() => set({ q: v }), 350);
    return () => clearTimeout(timer);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const filtered = JSON.stringify(filters) !== JSON.stringify(DEFAULT_LIST_FILTERS);

  return (
    <section className="incident-list" aria-label={t('listTitle')} data-testid="incident-list">
      <div className="incident-list__head">
        <h2 className="panel-title">
          <span className="panel-title__mark" aria-hidden />
          {t('listTitle')}
          {data ? <span className="panel-title__count" data-testid="incident-total">{data.total.toLocaleString()}</span> : null}
        </h2>
        {onNew && (
          <button type="button" className="incident-btn incident-btn--primary" onClick={onNew} data-testid="incident-new">
            {t('newIncident')}
          </button>
        )}
      </div>

      <div className="incident-filters">
        <div className="segmented" role="group" aria-label={t('filterWindow')}>
          {LIST_WINDOWS.map((w) => (
            <button key={w} type="button" className={`segmented__item${filters.window === w ? ' segmented__item--on' : ''}`} aria-pressed={filters.window === w} onClick={() => set({ window: w })}>
              {t(WINDOW_KEYS[w])}
            </button>
          ))}
        </div>
        <input
          className="incident-filters__search"
          type="search"
          placeholder={t('filterSearch')}
          aria-label={t('filterSearch')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="incident-search"
        />
        <div className="incident-filters__grid">
          <label>
            <span>{t('filterState')}</span>
            <select value={filters.status} onChange={(e) => set({ status: e.target.value })} data-testid="incident-filter-status">
              <option value="">{t('filterAll')}</option>
              <option value="open">{t('filterOpen')}</option>
              {INCIDENT_STATUSES.map((s) => <option key={s} value={s}>{tt(`status.${s}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>
            <span>{t('filterCategory')}</span>
            <select value={filters.category} onChange={(e) => set({ category: e.target.value })} data-testid="incident-filter-category">
              <option value="">{t('filterAll')}</option>
              {INCIDENT_CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label>
            <span>{t('filterSource')}</span>
            <select value={filters.source} onChange={(e) => set({ source: e.target.value })} data-testid="incident-filter-source">
              <option value="">{t('filterAll')}</option>
              {INCIDENT_SOURCES.map((s) => <option key={s} value={s}>{tt(`source.${s}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>
            <span>{t('filterTownship')}</span>
            <select value={filters.township} onChange={(e) => set({ township: e.target.value })} data-testid="incident-filter-township">
              <option value="">{t('filterAll')}</option>
              {townships.map((r) => <option key={r.code} value={r.code}>{r.name}</option>)}
            </select>
          </label>
        </div>
        <div className="incident-filters__row">
          <label className="incident-check">
            <input type="checkbox" checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked })} data-testid="incident-filter-overdue" />
            {t('filterOverdue')}
          </label>
          {filtered && (
            <button type="button" className="link-button" onClick={() => { setText(''); set({ ...DEFAULT_LIST_FILTERS }); }}>
              {t('filterClear')}
            </button>
          )}
        </div>
      </div>

      {list.error && !data && <p className="incident-list__error" role="alert">{t('listError', { message: list.error.message })}</p>}
      {!data && !list.error && <p className="incident-list__empty">{t('listLoading')}</p>}
      {data && data.items.length === 0 && <p className="incident-list__empty">{t('listEmpty')}</p>}
      <ol className="incident-list__items" aria-busy={list.loading}>
        {(data?.items ?? []).map((it) => (
          <li key={it.id}>
            <button
              type="button"
              className={`incident-item${it.id === selectedId ? ' incident-item--on' : ''}${it.overdue ? ' incident-item--overdue' : ''}`}
              onClick={() => onSelect(it)}
              aria-current={it.id === selectedId ? 'true' : undefined}
              data-incident-id={it.id}
              data-status={it.status}
            >
              <span className="incident-item__top">
                <span className={`status-chip status-chip--${statusGroup(it.status)}`}>{tt(`status.${it.status}` as MessageKey)}</span>
                <span className="incident-item__category">{it.category}</span>
                {it.priority <= 2 && <span className={`incident-badge incident-badge--p${it.priority}`}>{tt(`priority.${it.priority}` as MessageKey)}</span>}
                {it.overdue && <span className="incident-badge incident-badge--overdue">{t('overdue')}</span>}
              </span>
              <span className="incident-item__desc">{it.description}</span>
              <span className="incident-item__meta">
                <span>{[it.township, it.village && shortRegionName(it.village)].filter(Boolean).join(' · ')}</span>
                <time dateTime={it.reportedAt}>{formatDateTime(it.reportedAt, timezone)}</time>
              </span>
              <span className="incident-item__code">{it.code}</span>
            </button>
          </li>
        ))}
      </ol>
      {data && data.total > PAGE_SIZE && (
        <div className="incident-pager">
          <button type="button" className="incident-btn" disabled={page === 0} onClick={() => setPage((p) => Math.max(0, p - 1))}>{t('prevPage')}</button>
          <span data-testid="incident-page">{t('pageOf', { page: page + 1, pages })}</span>
          <button type="button" className="incident-btn" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>{t('nextPage')}</button>
        </div>
      )}
    </section>
  );
}
