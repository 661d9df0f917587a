// @vitest-environment jsdom
// The KPI panel with its data hook against a mocked server (msw): figures shown as the server
// gives them, refreshed on the interval, and a lost server retried with backoff until it answers.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ApiClient, type Kpis } from '../../client/api/client.js';
import { backoffDelay } from '../../client/api/usePolling.js';
import { KpiPanel, useKpis } from '../../client/panels/KpiPanel.js';
import { Freshness } from '../../client/panels/Clock.js';
import { I18nProvider, type Locale } from '../../client/i18n/index.js';

const kpis = (over: Partial<Kpis> = {}): Kpis => ({
  asOf: '2026-11-27T06:00:00.000Z',
  dayStart: '2026-11-26T16:00:00.000Z',
  grids: 1076,
  workers: { total: 2911, onDuty: 2750, patrolling: 1800, idle: 900, outside: 50 },
  incidentsToday: { total: 308, byStatus: { reported: 12, accepted: 9, dispatched: 100, in_progress: 102, returned: 2, resolved: 60, rated: 14, closed: 2, void: 7 } },
  closureRateToday: 0.2532,
  closureRate30d: 0.9461,
  avgHoursToClose30d: 24.37,
  overdue: 143,
  patrolCoverageToday: 0.9712,
  gridsVisitedToday: 1045,
  topCategoriesToday: [
    { category: '环境卫生', count: 38 },
    { category: '占道经营', count: 32 },
  ],
  hotlineToday: 100,
  ...over,
});

let answer: () => Response = () => HttpResponse.json(kpis());
let calls = 0;
const server = setupServer(
  http.get('*/api/kpis', () => {
    calls++;
    return answer();
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  calls = 0;
  answer = () => HttpResponse.json(kpis());
  vi.useRealTimers();
});
afterAll(() => server.close());

function Harness({ intervalMs = 30_000 }: { intervalMs?: number }) {
  const k = useKpis(new ApiClient({ baseUrl: 'http://api.test/' }), intervalMs);
  return (
    <>
      <KpiPanel kpis={k.data} error={k.error} variant="screen" />
      <output data-testid="failures">{k.failures}</output>
    </>
  );
}

const figure = (id: string) => document.querySelector(`[data-kpi="${id}"] [data-value]`)?.textContent;

function renderIn(locale: Locale, ui: React.ReactElement) {
  return render(<I18nProvider locale={locale}>{ui}</I18nProvider>);
}

describe('KPI panel', () => {
  it('shows the server figures, formatted, in Chinese', async () => {
    renderIn('zh-CN', <Harness />);
    await waitFor(() => expect(figure('grids')).toBe('1,076'));
    expect(figure('workers')).toBe('2,911');
    expect(figure('onDuty')).toBe('2,750');
    expect(figure('patrolling')).toBe('1,800');
    expect(figure('incidentsToday')).toBe('308');
    expect(figure('overdue')).toBe('143');
    expect(figure('hotline')).toBe('100');
    expect(figure('coverage')).toBe('97.1');
    expect(figure('closureToday')).toBe('25.3');
    expect(figure('closure30d')).toBe('94.6');
    expect(figure('avgHours')).toBe('24.4');
    expect(document.querySelector('[data-kpi="gridsVisited"]')?.getAttribute('data-count')).toBe('1045');
    expect(screen.getByText('今日事件')).toBeTruthy();
    expect(screen.getByText('12345热线今日')).toBeTruthy();
    // Status groups sum the server's byStatus (dispatched + in_progress = 202).
    expect(document.querySelector('[data-status-group="handling"] [data-value]')?.textContent).toBe('202');
    expect(screen.getByTestId('kpi-panel').getAttribute('data-as-of')).toBe('2026-11-27T06:00:00.000Z');
    const top = [...document.querySelectorAll('[data-kpi="topCategories"] li')].map((li) => li.textContent);
    expect(top).toEqual(['环境卫生38', '占道经营32']);
  });

  it('speaks English when switched', async () => {
    renderIn('en', <Harness />);
    await waitFor(() => expect(screen.getByText('Incidents today')).toBeTruthy());
    expect(screen.getByText('Overdue')).toBeTruthy();
  });

  it('shows a dash when no incident was resolved in 30 days', async () => {
    answer = () => HttpResponse.json(kpis({ avgHoursToClose30d: null }));
    renderIn('zh-CN', <Harness />);
    await waitFor(() => expect(figure('avgHours')).toBe('—'));
  });

  it('refreshes on its interval', async () => {
    renderIn('zh-CN', <Harness intervalMs={60} />);
    await waitFor(() => expect(figure('overdue')).toBe('143'));
    answer = () => HttpResponse.json(kpis({ overdue: 150 }));
    await waitFor(() => expect(figure('overdue')).toBe('150'), { timeout: 2000 });
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('keeps retrying a lost server with backoff and recovers by itself', async () => {
    answer = () => HttpResponse.json({ message: 'down' }, { status: 503 });
    renderIn('zh-CN', <Harness />);
    await waitFor(() => expect(screen.getByTestId('failures').textContent).toBe('1'));
    expect(screen.getByTestId('kpi-panel').textContent).toContain('down');
    answer = () => HttpResponse.json(kpis());
    // First retry after ~1 s (backoff 1 s ± 20 %).
    await waitFor(() => expect(figure('grids')).toBe('1,076'), { timeout: 3000 });
    expect(screen.getByTestId('failures').textContent).toBe('0');
  });
});

describe('backoff', () => {
  it('doubles up to the cap, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, {}, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1, {}, () => 0)).toBe(800);
    expect(backoffDelay(1, {}, () => 1)).toBe(1200);
  });
});

describe('freshness indicator', () => {
  const now = Date.parse('2026-11-27T06:00:30Z');
  it('shows live and the age of the last live message and KPI refresh', () => {
    renderIn('zh-CN', <Freshness liveStatus="live" lastLiveAt={now - 2000} lastKpiAt={now - 150_000} failures={0} nowMs={now} />);
    const el = screen.getByTestId('freshness');
    expect(el.dataset.state).toBe('live');
    expect(screen.getByTestId('freshness-live').textContent).toBe('定位更新 2 秒前');
    expect(screen.getByTestId('freshness-kpi').textContent).toBe('指标更新 2 分钟前');
  });

  it('says it is reconnecting when the socket dropped or fetches keep failing', () => {
    const { rerender } = renderIn('zh-CN', <Freshness liveStatus="reconnecting" lastLiveAt={now - 40_000} lastKpiAt={now} failures={0} nowMs={now} />);
    expect(screen.getByTestId('freshness').dataset.state).toBe('reconnecting');
    expect(screen.getByTestId('freshness').textContent).toContain('正在重连');
    rerender(
      <I18nProvider locale="zh-CN">
        <Freshness liveStatus="live" lastLiveAt={now} lastKpiAt={now - 60_000} failures={3} nowMs={now} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('freshness').textContent).toContain('服务器连接中断，正在重试（第 3 次）');
  });
});
