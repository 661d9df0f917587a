// The day's figures (GET /api/kpis, refreshed every 30 s): workforce on duty, incidents today by
// state, closure rates, time to resolve, overdue, patrol coverage, the 12345 hotline and the top
// categories. Every figure is the server's: nothing here counts what the client happens to hold.
import type { ReactNode } from 'react';
import type { ApiClient, Kpis } from '../api/client.js';
import { usePolling, type Polled } from '../api/usePolling.js';
import { useLocale, useT, type MessageKey } from '../i18n/index.js';

export const KPI_REFRESH_MS = 30_000;

export function useKpis(api: ApiClient, intervalMs = KPI_REFRESH_MS): Polled<Kpis> {
  return usePolling('kpis', (signal) => api.kpis(signal), { intervalMs });
}

export interface KpiPanelProps {
  kpis: Kpis | null;
  variant?: 'operator' | 'screen';
  /** Shown instead of the figures while nothing has arrived yet. */
  error?: Error | null;
}

const STATUS_BAR: Array<{ key: string; statuses: string[]; label: MessageKey; color: string }> = [
  { key: 'new', statuses: ['reported', 'accepted'], label: 'statusGroup.new', color: 'var(--status-new)' },
  { key: 'handling', statuses: ['dispatched', 'in_progress'], label: 'statusGroup.handling', color: 'var(--status-handling)' },
  { key: 'returned', statuses: ['returned'], label: 'statusGroup.returned', color: 'var(--status-returned)' },
  { key: 'done', statuses: ['resolved', 'rated'], label: 'statusGroup.done', color: 'var(--status-done)' },
  { key: 'closed', statuses: ['closed'], label: 'statusGroup.closed', color: 'var(--status-closed)' },
  { key: 'void', statuses: ['void'], label: 'statusGroup.void', color: 'var(--status-void)' },
];

function Figure({ id, label, value, unit, sub, tone }: { id: string; label: string; value: string; unit?: string; sub?: ReactNode; tone?: 'good' | 'warn' | 'bad' }) {
  return (
    <div className={`kpi${tone ? ` kpi--${tone}` : ''}`} data-kpi={id}>
      <div className="kpi__label">{label}</div>
      <div className="kpi__value">
        <span className="kpi__number" data-value>{value}</span>
        {unit ? <span className="kpi__unit">{unit}</span> : null}
      </div>
      {sub ? <div className="kpi__sub">{sub}</div> : null}
    </div>
  );
}

export function KpiPanel({ kpis, variant = 'operator', error = null }: KpiPanelProps) {
  const t = useT();
  const [locale] = useLocale();
  const n = (v: number) => v.toLocaleString(locale);
  const pct = (v: number) => `${(v * 100).toFixed(1)}`;

  if (!kpis) {
    return (
      <section className={`kpi-panel kpi-panel--${variant}`} aria-label={t('kpi.title')} data-testid="kpi-panel">
        <div className="kpi-panel__empty">{error ? t('app.loadError', { message: error.message }) : t('kpi.loading')}</div>
      </section>
    );
  }
  const w = kpis.workers;
  const byStatus = kpis.incidentsToday.byStatus;
  const today = kpis.incidentsToday.total;
  const bar = STATUS_BAR.map((g) => ({ ...g, count: g.statuses.reduce((s, k) => s + (byStatus[k] ?? 0), 0) }));
  const topMax = Math.max(1, ...kpis.topCategoriesToday.map((c) => c.count));

  return (
    <section className={`kpi-panel kpi-panel--${variant}`} aria-label={t('kpi.title')} data-testid="kpi-panel" data-as-of={kpis.asOf}>
      <div className="kpi-panel__group">
        <h3 className="kpi-panel__heading">{t('kpi.workforce')}</h3>
        <div className="kpi-panel__row kpi-panel__row--3">
          <Figure id="grids" label={t('kpi.grids')} value={n(kpis.grids)} unit={t('kpi.unit.grids')} />
          <Figure id="workers" label={t('kpi.workers')} value={n(w.total)} unit={t('kpi.unit.people')} />
          <Figure id="onDuty" label={t('kpi.onDuty')} value={n(w.onDuty)} unit={t('kpi.unit.people')} tone="good" />
        </div>
        <ul className="kpi-panel__states" data-kpi="workerStates">
          <li data-kpi="patrolling"><span className="dot dot--patrolling" />{t('kpi.patrolling')}<b data-value>{n(w.patrolling)}</b></li>
          <li data-kpi="idle"><span className="dot dot--idle" />{t('kpi.idle')}<b data-value>{n(w.idle)}</b></li>
          <li data-kpi="outside"><span className="dot dot--outside" />{t('kpi.outside')}<b data-value>{n(w.outside)}</b></li>
        </ul>
        <div className="kpi-panel__row kpi-panel__row--1">
          <Figure
            id="coverage"
            label={t('kpi.coverage')}
            value={pct(kpis.patrolCoverageToday)}
            unit="%"
            sub={
              <>
                <span className="meter"><span className="meter__fill" style={{ width: `${Math.min(100, kpis.patrolCoverageToday * 100)}%` }} /></span>
                <span data-kpi="gridsVisited" data-count={kpis.gridsVisitedToday}>{t('kpi.gridsVisited', { visited: n(kpis.gridsVisitedToday), total: n(kpis.grids) })}</span>
              </>
            }
          />
        </div>
      </div>

      <div className="kpi-panel__group">
        <h3 className="kpi-panel__heading">{t('kpi.incidents')}</h3>
        <div className="kpi-panel__row kpi-panel__row--3">
          <Figure id="incidentsToday" label={t('kpi.incidentsToday')} value={n(today)} unit={t('kpi.unit.items')} />
          <Figure id="overdue" label={t('kpi.overdue')} value={n(kpis.overdue)} unit={t('kpi.unit.items')} tone={kpis.overdue > 0 ? 'bad' : undefined} />
          <Figure id="hotline" label={t('kpi.hotline')} value={n(kpis.hotlineToday)} unit={t('kpi.unit.items')} />
        </div>
        <div className="kpi-panel__statusbar" role="img" aria-label={t('kpi.byStatus')} data-kpi="byStatus">
          {bar.map((g) =>
            g.count > 0 ? (
              <span key={g.key} className="kpi-panel__seg" style={{ flexGrow: g.count, background: g.color }} title={`${t(g.label)} ${g.count}`} />
            ) : null,
          )}
        </div>
        <ul className="kpi-panel__legend">
          {bar.filter((g) => g.key !== 'void').map((g) => (
            <li key={g.key} data-status-group={g.key}>
              <span className="dot" style={{ background: g.color }} />
              {t(g.label)}
              <b data-value>{n(g.count)}</b>
            </li>
          ))}
        </ul>
        <div className="kpi-panel__row kpi-panel__row--3">
          <Figure id="closureToday" label={t('kpi.closureToday')} value={pct(kpis.closureRateToday)} unit="%" />
          <Figure id="closure30d" label={t('kpi.closure30d')} value={pct(kpis.closureRate30d)} unit="%" tone="good" />
          <Figure
            id="avgHours"
            label={t('kpi.avgHours')}
            value={kpis.avgHoursToClose30d === null ? t('kpi.none') : kpis.avgHoursToClose30d.toFixed(1)}
            unit={kpis.avgHoursToClose30d === null ? undefined : locale === 'en' ? 'h' : '小时'}
          />
        </div>
      </div>

      <div className="kpi-panel__group kpi-panel__group--top">
        <h3 className="kpi-panel__heading">{t('kpi.topCategories')}</h3>
        <ol className="kpi-panel__top" data-kpi="topCategories">
          {kpis.topCategoriesToday.map((c) => (
            <li key={c.category}>
              <span className="kpi-panel__topname">{c.category}</span>
              <span className="kpi-panel__topbar"><span style={{ width: `${(c.count / topMax) * 100}%` }} /></span>
              <b data-value>{n(c.count)}</b>
            </li>
          ))}
          {kpis.topCategoriesToday.length === 0 && <li className="kpi-panel__none">{t('kpi.none')}</li>}
        </ol>
      </div>
    </section>
  );
}
