// @vitest-environment jsdom
// The incident list panel against a mocked server (msw): items in urgency order as the server
// gives them, in Chinese, every filter and the pages sent as query parameters, a click selects, a
// change elsewhere refetches, and a failed request is said so.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { I18nProvider } from '../../client/i18n/index.js';
import { IncidentApi, type IncidentListItem } from '../../client/incidents/api.js';
import { IncidentListPanel } from '../../client/incidents/IncidentListPanel.js';

const item = (id: number, over: Partial<IncidentListItem> = {}): IncidentListItem => ({
  id, code: `SJ20260301-${String(id).padStart(7, '0')}`, category: '环境卫生', source: 'hotline', status: 'reported', level: 'village',
  priority: 3, description: `描述 ${id}`, address: null, lon: 118.77, lat: 34.54, gridCode: '320722001001-01', village: '东关社区居民委员会',
  township: '牛山街道', townshipCode: '320722001', department: null, reportedAt: '2026-03-01T02:00:00.000Z', dueAt: '2026-03-01T04:00:00.000Z',
  overdue: false, returnCount: 0, escalationCount: 0, ...over,
});

let queries: URLSearchParams[] = [];
const firstPages = (q: URLSearchParams): Response => {
  const offset = Number(q.get('offset') ?? 0);
  const items = offset === 0
    ? [item(1, { overdue: true, status: 'dispatched', priority: 1 }), item(2, { priority: 2 }), item(3)]
    : [item(21), item(22)];
  return HttpResponse.json({ total: 42, offset, limit: 20, items }) as unknown as Response;
};
let answer = firstPages;
const server = setupServer(
  http.get('*/api/incidents/list', ({ request }) => {
    const q = new URL(request.url).searchParams;
    queries.push(q);
    return answer(q);
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  queries = [];
  answer = firstPages;
  vi.useRealTimers();
});
afterAll(() => server.close());

const api = new IncidentApi({ baseUrl: 'http://api.test/' });
const TOWNSHIPS = [{ code: '320722001', name: '牛山街道' }, { code: '320722100', name: '石榴街道' }];

function renderPanel(props: Partial<Parameters<typeof IncidentListPanel>[0]> = {}) {
  const onSelect = vi.fn();
  const utils = render(
    <I18nProvider locale="zh-CN">
      <IncidentListPanel api={api} timezone="Asia/Shanghai" townships={TOWNSHIPS} selectedId={null} onSelect={onSelect} {...props} />
    </I18nProvider>,
  );
  return { ...utils, onSelect };
}
const last = () => queries[queries.length - 1];
const items = () => [...document.querySelectorAll<HTMLElement>('.incident-item')];

describe('incident list panel', () => {
  it('shows the first page of open incidents of the last 7 days, most urgent first, in Chinese', async () => {
    renderPanel();
    await waitFor(() => expect(items()).toHaveLength(3));
    const q = last();
    expect(q.get('status')).toBe('open');
    expect(q.get('sort')).toBe('urgency');
    expect(q.get('limit')).toBe('20');
    expect(q.get('offset')).toBe('0');
    expect(q.get('to')).toBeNull();
    expect(Date.now() - Date.parse(q.get('from')!)).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(Date.now() - Date.parse(q.get('from')!)).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(screen.getByTestId('incident-total').textContent).toBe('42');
    const first = items()[0];
    expect(first.dataset.incidentId).toBe('1');
    expect(first.querySelector('.status-chip')!.textContent).toBe('派遣');
    expect(first.textContent).toContain('超期');
    expect(first.textContent).toContain('特急');
    expect(first.textContent).toContain('牛山街道 · 东关社区');
    expect(items()[1].textContent).toContain('紧急');
    expect(items()[2].textContent).not.toContain('超期');
    expect(screen.getByTestId('incident-page').textContent).toBe('第 1 / 3 页');
  });

  it('sends every filter, goes back to the first page on a change, and pages', async () => {
    renderPanel();
    await waitFor(() => expect(items()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: '下一页' }));
    await waitFor(() => expect(last().get('offset')).toBe('20'));
    await waitFor(() => expect(items().map((e) => e.dataset.incidentId)).toEqual(['21', '22']));

    fireEvent.change(screen.getByTestId('incident-filter-status'), { target: { value: 'returned' } });
    await waitFor(() => expect(last().get('status')).toBe('returned'));
    expect(last().get('offset')).toBe('0');
    fireEvent.change(screen.getByTestId('incident-filter-category'), { target: { value: '占道经营' } });
    await waitFor(() => expect(last().get('category')).toBe('占道经营'));
    fireEvent.change(screen.getByTestId('incident-filter-source'), { target: { value: 'grid_worker' } });
    await waitFor(() => expect(last().get('source')).toBe('grid_worker'));
    fireEvent.change(screen.getByTestId('incident-filter-township'), { target: { value: '320722100' } });
    await waitFor(() => expect(last().get('township')).toBe('320722100'));
    fireEvent.click(screen.getByTestId('incident-filter-overdue'));
    await waitFor(() => expect(last().get('overdue')).toBe('true'));
    fireEvent.click(screen.getByRole('button', { name: '近30天' }));
    await waitFor(() => expect(Date.now() - Date.parse(last().get('from')!)).toBeGreaterThan(29 * 86_400_000));
    fireEvent.change(screen.getByTestId('incident-search'), { target: { value: 'SJ20260301' } });
    await waitFor(() => expect(last().get('q')).toBe('SJ20260301'));
    // All filters together in the last request.
    expect(Object.fromEntries(['status', 'category', 'source', 'township', 'overdue'].map((k) => [k, last().get(k)]))).toEqual({
      status: 'returned', category: '占道经营', source: 'grid_worker', township: '320722100', overdue: 'true',
    });
    fireEvent.click(screen.getByRole('button', { name: '清除筛选' }));
    await waitFor(() => expect(last().get('status')).toBe('open'));
    expect(last().get('township')).toBeNull();
    expect(last().get('q')).toBeNull();
  });

  it('selects an item on click and marks the selected one', async () => {
    const { onSelect, rerender } = renderPanel();
    await waitFor(() => expect(items()).toHaveLength(3));
    fireEvent.click(items()[1]);
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 2, code: 'SJ20260301-0000002' }));
    rerender(
      <I18nProvider locale="zh-CN">
        <IncidentListPanel api={api} timezone="Asia/Shanghai" townships={TOWNSHIPS} selectedId={2} onSelect={onSelect} />
      </I18nProvider>,
    );
    expect(items()[1].getAttribute('aria-current')).toBe('true');
  });

  it('refetches when an incident changed elsewhere', async () => {
    const { rerender } = renderPanel({ changeSeq: 0 });
    await waitFor(() => expect(items()).toHaveLength(3));
    const before = queries.length;
    answer = () => HttpResponse.json({ total: 1, offset: 0, limit: 20, items: [item(9, { status: 'accepted' })] }) as unknown as Response;
    rerender(
      <I18nProvider locale="zh-CN">
        <IncidentListPanel api={api} timezone="Asia/Shanghai" townships={TOWNSHIPS} selectedId={null} onSelect={() => undefined} changeSeq={1} />
      </I18nProvider>,
    );
    await waitFor(() => expect(items().map((e) => e.dataset.incidentId)).toEqual(['9']));
    expect(queries.length).toBe(before + 1);
  });

  it('says when the list cannot be loaded, and when nothing matches', async () => {
    answer = () => HttpResponse.json({ statusCode: 400, message: 'township: must match pattern', field: 'township' }, { status: 400 }) as unknown as Response;
    renderPanel();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('事件列表加载失败'));
    cleanup();
    answer = () => HttpResponse.json({ total: 0, offset: 0, limit: 20, items: [] }) as unknown as Response;
    renderPanel();
    await waitFor(() => expect(screen.getByText('没有符合条件的事件')).toBeTruthy());
    await act(async () => undefined);
  });
});
