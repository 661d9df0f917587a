// @vitest-environment jsdom
// The ticker of urgent incidents against a mocked server: items as the server sends them, local
// times in the county's zone, new items marked after a refresh, selection and the wall's
// cycling highlight.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ApiClient, type RecentIncident } from '../../client/api/client.js';
import { Ticker, useRecentIncidents } from '../../client/panels/Ticker.js';
import { I18nProvider } from '../../client/i18n/index.js';

const item = (id: number, reportedAt: string, over: Partial<RecentIncident> = {}): RecentIncident => ({
  id,
  code: `SJ2026112700000${id}`,
  category: '安全隐患',
  priority: 1,
  status: 'dispatched',
  township: '房山镇',
  village: '双庄村民委员会',
  reportedAt,
  lon: 118.7,
  lat: 34.4,
  ...over,
});

const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
let items = [item(2, iso(60_000), { category: '消防隐患', status: 'reported' }), item(1, iso(3 * 86_400_000), { status: 'closed' })];
const seen: URL[] = [];
const server = setupServer(
  http.get('*/api/incidents/recent', ({ request }) => {
    seen.push(new URL(request.url));
    return HttpResponse.json(items);
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  seen.length = 0;
});
afterAll(() => server.close());

function Harness({ onSelect, activeId, intervalMs }: { onSelect?: (i: RecentIncident) => void; activeId?: number; intervalMs?: number }) {
  const r = useRecentIncidents(new ApiClient({ baseUrl: 'http://api.test/' }), intervalMs);
  return <Ticker items={r.data} timezone="Asia/Shanghai" onSelect={onSelect} activeId={activeId} />;
}

const rows = () => [...document.querySelectorAll<HTMLElement>('.ticker__item')];

describe('ticker', () => {
  it('asks for priority 1, newest 20, and lists them with local times', async () => {
    render(
      <I18nProvider locale="zh-CN">
        <Harness />
      </I18nProvider>,
    );
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(seen[0].searchParams.get('priority')).toBe('1');
    expect(seen[0].searchParams.get('limit')).toBe('20');
    const [first, second] = rows();
    expect(first.dataset.incidentId).toBe('2');
    expect(first.textContent).toContain('消防隐患');
    expect(first.textContent).toContain('房山镇 · 双庄村'); // committee suffix dropped
    expect(first.textContent).toContain('上报');
    // Within a day: HH:mm in Asia/Shanghai; older: MM-DD HH:mm.
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(items[0].reportedAt));
    expect(first.querySelector('time')!.textContent).toBe(hhmm);
    expect(second.querySelector('time')!.textContent).toMatch(/^\d\d-\d\d \d\d:\d\d$/);
    expect(second.textContent).toContain('结案');
    expect(screen.getByRole('heading').textContent).toContain('紧急事件');
  });

  it('marks items that arrived since the previous refresh', async () => {
    render(
      <I18nProvider locale="zh-CN">
        <Harness intervalMs={80} />
      </I18nProvider>,
    );
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(document.querySelectorAll('.ticker__new')).toHaveLength(0); // nothing is "new" on first load
    items = [item(3, iso(1000), { category: '防汛' }), ...items];
    await waitFor(() => expect(rows()).toHaveLength(3), { timeout: 2000 });
    await waitFor(() => expect(rows()[0].querySelector('.ticker__new')?.textContent).toBe('新'));
    expect(rows()[1].querySelector('.ticker__new')).toBeNull();
  });

  it('selects an item on click (operator) and highlights the active one (wall)', async () => {
    const onSelect = vi.fn();
    render(
      <I18nProvider locale="zh-CN">
        <Harness onSelect={onSelect} activeId={1} />
      </I18nProvider>,
    );
    await waitFor(() => expect(rows().length).toBeGreaterThan(1));
    act(() => rows()[0].querySelector('button')!.click());
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: items[0].id }));
    expect(document.querySelector('[data-active="true"]')!.getAttribute('data-incident-id')).toBe('1');
  });

  it('has nothing to click on the wall and says when the list is empty', () => {
    const { rerender } = render(
      <I18nProvider locale="zh-CN">
        <Ticker items={[item(5, iso(1000))]} timezone="Asia/Shanghai" variant="screen" />
      </I18nProvider>,
    );
    expect(document.querySelectorAll('button')).toHaveLength(0);
    rerender(
      <I18nProvider locale="zh-CN">
        <Ticker items={[]} timezone="Asia/Shanghai" variant="screen" />
      </I18nProvider>,
    );
    expect(screen.getByText('近7天无紧急事件')).toBeTruthy();
  });
});
