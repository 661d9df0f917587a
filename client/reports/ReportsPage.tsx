// The reports page at /reports: the incidents of a day, week, month, quarter or any days, per
// township, village, grid or department — reported, closed, closure rate, mean and P90 time to
// close, overdue, returned, satisfaction — as summary figures, charts and a sortable table, with the
// server's CSV for spreadsheets and a print layout for the meeting.
import { useEffect, useMemo, useState } from 'react';
import { ApiClient, api as defaultApi } from '../api/client.js';
import { usePolling } from '../api/usePolling.js';
import { LoginForm, SessionBadge } from '../auth/LoginForm.js';
import { useSession } from '../auth/useSession.js';
import { useLocale } from '../i18n/index.js';
import { formatDateTime } from '../state/localTime.js';
import type { Report, ReportRow } from '../../server/schemas/reports.js';
import { BarChart } from './BarChart.js';
import { ReportTable, formatCell } from './ReportTable.js';
import {
  apiParams, parseReportQuery, PERIODS, serializeReportQuery, shiftPeriod, UNITS, type ReportQueryState,
} from './reportQuery.js';
import { useReportT, type ReportStringKey } from './strings.js';
import './reports.css';

const CHART_ROWS = 15;
const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export interface ReportsPageProps {
  api?: ApiClient;
  onBack?: () => void;
}

export function ReportsPage({ api = defaultApi, onBack }: ReportsPageProps) {
  const t = useReportT();
  const session = useSession();
  useEffect(() => {
    document.title = `${t('pageTitle')} · 东海县网格化治理指挥中心`;
  }, [t]);
  if (session.user === undefined) return <div className="report-page report-page--center">{t('loading')}</div>;
  if (!session.user) {
    return (
      <div className="report-page report-page--center">
        <LoginForm title={t('loginTitle')} />
      </div>
    );
  }
  return <Reports api={api} onBack={onBack} />;
}

function Reports({ api, onBack }: { api: ApiClient; onBack?: () => void }) {
  const t = useReportT();
  const [locale] = useLocale();
  const config = usePolling('config', (signal) => api.config(signal));
  const timezone = config.data?.timezone ?? DEFAULT_TIMEZONE;
  const [q, setQ] = useState<ReportQueryState>(() => parseReportQuery(globalThis.location?.search ?? ''));
  useEffect(() => {
    const search = `?${serializeReportQuery(q)}`;
    if (globalThis.location && globalThis.location.search !== search) globalThis.history.replaceState(null, '', `${globalThis.location.pathname}${search}`);
  }, [q]);
  const params = apiParams(q);
  const key = JSON.stringify(params);
  const report = usePolling(key, (signal) => api.getJson<Report>('/api/reports', params, signal), { keepPrevious: true });
  const data = report.data && report.dataKey === key ? report.data : null;
  const csvHref = api.url('/api/reports', { ...params, format: 'csv' });
  const set = (patch: Partial<ReportQueryState>) => setQ((s) => ({ ...s, ...patch }));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

  return (
    <div className="report-page" data-testid="reports-page">
      <header className="report-bar">
        <h1 className="report-bar__title">{t('pageTitle')}</h1>
        <div className="report-controls">
          <div className="report-segmented" role="group" aria-label={t('period')}>
            {PERIODS.map((p) => (
              <button
                key={p}
                type="button"
                aria-pressed={q.period === p}
                className={q.period === p ? 'is-on' : undefined}
                data-period={p}
                onClick={() => (p === 'custom'
                  ? set({ period: p, from: data?.firstDay ?? today, to: data?.lastDay ?? today })
                  : set({ period: p }))}
              >
                {t(`period_${p}` as ReportStringKey)}
              </button>
            ))}
          </div>
          {q.period === 'custom' ? (
            <>
              <label>{t('from')} <input type="date" value={q.from ?? ''} max={q.to ?? undefined} onChange={(e) => e.target.value && set({ from: e.target.value })} /></label>
              <label>{t('to')} <input type="date" value={q.to ?? ''} min={q.from ?? undefined} onChange={(e) => e.target.value && set({ to: e.target.value })} /></label>
            </>
          ) : (
            <>
              <button type="button" className="report-btn" onClick={() => set({ date: shiftPeriod(q.period as Exclude<typeof q.period, 'custom'>, q.date ?? today, -1) })}>{t('prev')}</button>
              <label>{t('date')} <input type="date" value={q.date ?? today} onChange={(e) => e.target.value && set({ date: e.target.value })} data-testid="report-date" /></label>
              <button type="button" className="report-btn" onClick={() => set({ date: shiftPeriod(q.period as Exclude<typeof q.period, 'custom'>, q.date ?? today, 1) })}>{t('next')}</button>
            </>
          )}
          <label>
            {t('by')}{' '}
            <select value={q.by} onChange={(e) => set({ by: e.target.value as ReportQueryState['by'] })} data-testid="report-by">
              {UNITS.map((u) => <option key={u} value={u}>{t(`by_${u}` as ReportStringKey)}</option>)}
            </select>
          </label>
        </div>
        <div className="report-bar__right">
          <a className="report-btn" href={csvHref} download data-testid="report-csv">{t('csv')}</a>
          <button type="button" className="report-btn" onClick={() => globalThis.print()} data-testid="report-print">{t('print')}</button>
          <SessionBadge />
          <a
            className="report-bar__back"
            href="/"
            onClick={(e) => {
              if (!onBack || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
              e.preventDefault();
              onBack();
            }}
          >
            {t('back')}
          </a>
        </div>
      </header>

      <main className="report-main">
        {report.error && !data && (
          <p className="report-error" role="alert">
            {t('failed', { message: report.error.message })}{' '}
            <button type="button" className="report-btn" onClick={report.refresh}>{t('retry')}</button>
          </p>
        )}
        {!data && !report.error && <p className="report-muted">{t('loading')}</p>}
        {data && <ReportBody report={data} locale={locale} timezone={timezone} />}
      </main>
    </div>
  );
}

function ReportBody({ report, locale, timezone }: { report: Report; locale: string; timezone: string }) {
  const t = useReportT();
  const top = useMemo(() => [...report.rows].sort((a, b) => b.reported - a.reported || (a.unit.code ?? '').localeCompare(b.unit.code ?? '')).slice(0, CHART_ROWS).filter((r) => r.reported > 0), [report.rows]);
  const label = (r: ReportRow) => r.unit.name ?? r.unit.code ?? t('unknownUnit');
  const f = report.total;
  const figures: Array<[ReportStringKey, string, string]> = [
    ['reported', formatCell('reported', f.reported), 'reported'],
    ['closed', formatCell('closed', f.closed), 'closed'],
    ['closureRate', formatCell('closureRate', f.closureRate), 'closureRate'],
    ['avgHours', f.avgHoursToClose === null ? '—' : t('hours', { value: f.avgHoursToClose.toFixed(1) }), 'avgHoursToClose'],
    ['p90Hours', f.p90HoursToClose === null ? '—' : t('hours', { value: f.p90HoursToClose.toFixed(1) }), 'p90HoursToClose'],
    ['overdue', formatCell('overdue', f.overdue), 'overdue'],
    ['returned', formatCell('returned', f.returned), 'returned'],
    ['satisfaction', formatCell('satisfaction', f.satisfaction), 'satisfaction'],
  ];
  return (
    <>
      <section className="report-summary" data-testid="report-summary">
        <h2>
          {t(`period_${report.period}` as ReportStringKey)} · {t(`by_${report.by}` as ReportStringKey)} ·{' '}
          {t('range', { first: report.firstDay, last: report.lastDay })}
        </h2>
        <p className="report-muted">
          {t('generatedAt', { time: formatDateTime(report.generatedAt, timezone) })} · {t('rows', { count: report.rows.length.toLocaleString(locale) })}
        </p>
        <dl className="report-figures">
          {figures.map(([k, v, id]) => (
            <div key={k} data-figure={id}>
              <dt>{t(k)}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      {f.reported === 0 ? (
        <p className="report-muted">{t('noData')}</p>
      ) : (
        <section className="report-charts">
          <BarChart
            testId="chart-volume"
            title={t('chartVolume', { n: top.length })}
            series={[{ name: t('legendReported'), color: 'var(--status-new)' }, { name: t('legendClosed'), color: 'var(--status-closed)' }]}
            rows={top.map((r) => ({ label: label(r), values: [r.reported, r.closed] }))}
            format={(v) => v.toLocaleString(locale)}
          />
          <BarChart
            testId="chart-closure"
            title={t('chartClosure', { n: top.length })}
            series={[{ name: t('closureRate'), color: 'var(--status-done)' }]}
            rows={top.map((r) => ({ label: label(r), values: [r.closureRate] }))}
            format={(v) => `${(v * 100).toFixed(1)}%`}
            max={1}
          />
          <BarChart
            testId="chart-time"
            title={t('chartTime')}
            series={[{ name: t('legendAvg'), color: 'var(--status-handling)' }, { name: t('legendP90'), color: 'var(--status-returned)' }]}
            rows={top.map((r) => ({ label: label(r), values: [r.avgHoursToClose, r.p90HoursToClose] }))}
            format={(v) => v.toFixed(1)}
          />
        </section>
      )}
      <section className="report-table-wrap">
        <ReportTable rows={report.rows} total={report.total} />
      </section>
    </>
  );
}
