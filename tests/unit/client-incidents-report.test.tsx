// @vitest-environment jsdom
// The report form against a mocked server (msw): the duplicate hints for the category and the
// place before saving, the request body, a place outside the county in Chinese; and the pure parts
// of the live changes (latest per incident, ticker merge) and of the reports page (URL state,
// period steps, table sorting).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { I18nProvider } from '../../client/i18n/index.js';
import { sessionStore } from '../../client/auth/useSession.js';
import { IncidentApi } from '../../client/incidents/api.js';
import { ReportForm } from '../../client/incidents/ReportForm.js';
import { latestPerIncident, mergeTicker, type IncidentMessage } from '../../client/incidents/incidentChanges.js';
import { parseReportQuery, serializeReportQuery, shiftPeriod } from '../../client/reports/reportQuery.js';
import { sortRows } from '../../client/reports/ReportTable.js';
import type { ReportRow } from '../../server/schemas/reports.js';

const DISPATCHER = { id: 5, username: 'li', displayName: '李调度', role: 'dispatcher', township: null };
let duplicateQueries: URLSearchParams[] = [];
let reported: Array<Record<string, unknown>> = [];
let reportAnswer: () => Response = () => HttpResponse.json({ incident: { id: 90, code: 'SJ20260301-0000090', status: 'reported' }, possibleDuplicates: [] }, { status: 201 }) as unknown as Response;

const server = setupServer(
  http.get('*/api/auth/me', () => HttpResponse.json(DISPATCHER)),
  http.get('*/api/incidents/categories', () => HttpResponse.json([
    { code: 'C01', name: '环境卫生', group: '城市管理', description: '', departmentId: 2, departmentCode: 'D02', department: '县城市管理局', defaultPriority: 3, slaHours: { accept: 2, dispatch: 4, start: 8, resolve: 24, close: 72 } },
    { code: 'C16', name: '防汛', group: '安全生产', description: '', departmentId: 7, departmentCode: 'D07', department: '县水利局', defaultPriority: 2, slaHours: { accept: 0.5, dispatch: 1, start: 1, resolve: 12, close: 72 } },
  ])),
  http.get('*/api/incidents/duplicates', ({ request }) => {
    const q = new URL(request.url).searchParams;
    duplicateQueries.push(q);
    return HttpResponse.json({ duplicates: q.get('category') === '环境卫生' ? [{ id: 12, code: 'SJ20260301-0000012', status: 'accepted', statusLabel: '受理', description: '垃圾桶满溢', reportedAt: '2026-03-01T01:00:00.000Z', distanceM: 54.2 }] : [] });
  }),
  http.post('*/api/incidents', async ({ request }) => {
    reported.push((await request.json()) as Record<string, unknown>);
    return reportAnswer();
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  sessionStore.reset({ baseUrl: 'http://api.test' });
  duplicateQueries = [];
  reported = [];
});
afterEach(() => cleanup());
afterAll(() => server.close());

const api = new IncidentApi({ baseUrl: 'http://api.test/' });

type Fn = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
function Form({ picked, onReported = vi.fn(), onOpen = vi.fn(), onPicking = vi.fn() }: { picked: [number, number] | null; onReported?: Fn; onOpen?: Fn; onPicking?: Fn }) {
  return (
    <I18nProvider locale="zh-CN">
      <ReportForm api={api} timezone="Asia/Shanghai" picked={picked} picking={false} onPicking={onPicking} onCancel={() => undefined} onReported={onReported} onOpen={onOpen} />
    </I18nProvider>
  );
}

describe('report form', () => {
  it('asks for what is missing, shows the duplicate hints for category and place, and sends the report', async () => {
    const onReported = vi.fn();
    const onOpen = vi.fn();
    const onPicking = vi.fn();
    const { rerender } = render(<Form picked={null} onReported={onReported} onOpen={onOpen} onPicking={onPicking} />);
    const category = (await screen.findByLabelText('类型 *')) as HTMLSelectElement;
    await waitFor(() => expect(category.querySelectorAll('option')).toHaveLength(3));
    await act(async () => fireEvent.click(screen.getByTestId('report-submit')));
    expect(screen.getByRole('alert').textContent).toBe('请选择事件类型');
    fireEvent.change(category, { target: { value: '环境卫生' } });
    await act(async () => fireEvent.click(screen.getByTestId('report-submit')));
    expect(screen.getByRole('alert').textContent).toBe('请在地图上点选事件位置');
    fireEvent.click(screen.getByTestId('report-pick'));
    expect(onPicking).toHaveBeenCalledWith(true);
    expect(duplicateQueries).toEqual([]);

    rerender(<Form picked={[118.771234, 34.541234]} onReported={onReported} onOpen={onOpen} onPicking={onPicking} />);
    expect(screen.getByTestId('report-picked').textContent).toBe('已选位置：118.77123, 34.54123');
    await waitFor(() => expect(screen.getByTestId('report-duplicates').dataset.count).toBe('1'));
    expect(Object.fromEntries(duplicateQueries[0])).toEqual({ category: '环境卫生', lon: '118.771234', lat: '34.541234' });
    expect(screen.getByTestId('report-duplicates').textContent).toContain('附近可能重复的事件（200 米、48 小时内）');
    expect(screen.getByTestId('report-duplicates').textContent).toContain('SJ20260301-0000012');
    expect(screen.getByTestId('report-duplicates').textContent).toContain('54 米');
    fireEvent.click(screen.getByTestId('report-duplicates').querySelector('button')!);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 12 }));
    // Another category there: no hint.
    fireEvent.change(category, { target: { value: '防汛' } });
    await waitFor(() => expect(screen.getByTestId('report-duplicates').textContent).toContain('附近没有可能重复的事件'));
    expect((screen.getByLabelText('优先级') as HTMLSelectElement).options[0].textContent).toBe('按类型默认（紧急）');

    await act(async () => fireEvent.click(screen.getByTestId('report-submit')));
    expect(screen.getByRole('alert').textContent).toBe('请填写事件描述');
    fireEvent.change(screen.getByLabelText('描述 *'), { target: { value: '  低洼路段积水  ' } });
    fireEvent.change(screen.getByLabelText('地址'), { target: { value: '牛山路口' } });
    fireEvent.change(screen.getByLabelText('优先级'), { target: { value: '1' } });
    fireEvent.change(screen.getByLabelText('来源'), { target: { value: 'hotline' } });
    await act(async () => fireEvent.click(screen.getByTestId('report-submit')));
    expect(reported).toEqual([{ category: '防汛', source: 'hotline', description: '低洼路段积水', lon: 118.771234, lat: 34.541234, priority: 1, address: '牛山路口' }]);
    await waitFor(() => expect(onReported).toHaveBeenCalledWith(expect.objectContaining({ id: 90 }), []));
  });

  it('says in Chinese when the place is outside the county', async () => {
    reportAnswer = () => HttpResponse.json({ statusCode: 422, message: 'lon/lat (116.4, 39.9) is outside the county', field: 'lon', fields: ['lon', 'lat'] }, { status: 422 }) as unknown as Response;
    render(<Form picked={[116.4, 39.9]} />);
    const category = (await screen.findByLabelText('类型 *')) as HTMLSelectElement;
    await waitFor(() => expect(category.querySelectorAll('option')).toHaveLength(3));
    fireEvent.change(category, { target: { value: '防汛' } });
    fireEvent.change(screen.getByLabelText('描述 *'), { target: { value: '积水' } });
    await act(async () => fireEvent.click(screen.getByTestId('report-submit')));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('位置不在东海县范围内'));
  });
});

const msg = (id: number, status: string, action: string, priority = 3, reportedAt = '2026-03-01T02:00:00.000Z'): IncidentMessage => ({
  id, code: `SJ-${id}`, category: '防汛', status, statusLabel: status, action, priority, lon: 118.7, lat: 34.5, township: '320722001', reportedAt,
});

describe('live incident changes', () => {
  it('keeps the latest state per incident, newest change first', () => {
    const list = [msg(1, 'accepted', 'accept'), msg(2, 'reported', 'report'), msg(1, 'reported', 'report')];
    expect(latestPerIncident(list).map((m) => [m.id, m.status])).toEqual([[1, 'accepted'], [2, 'reported']]);
  });

  it('puts urgent new reports in the ticker and updates the state of those listed', () => {
    const items = [{ id: 5, code: 'SJ-5', category: '防汛', priority: 1, status: 'reported', township: '牛山街道', village: null, reportedAt: '2026-03-01T01:00:00.000Z', lon: 118.7, lat: 34.5 }];
    const merged = mergeTicker(items, [msg(9, 'reported', 'report', 1, '2026-03-01T03:00:00.000Z'), msg(8, 'reported', 'report', 3), msg(5, 'dispatched', 'dispatch', 1)]);
    expect(merged!.map((i) => [i.id, i.status])).toEqual([[9, 'reported'], [5, 'dispatched']]);
    expect(mergeTicker(null, [])).toBeNull();
  });
});

describe('reports page state', () => {
  it('reads and writes its URL, falling back to the day report by township', () => {
    expect(parseReportQuery('?period=week&date=2026-03-04&by=village')).toEqual({ period: 'week', date: '2026-03-04', from: null, to: null, by: 'village' });
    expect(parseReportQuery('?period=year&by=county&date=yesterday')).toEqual({ period: 'day', date: null, from: null, to: null, by: 'township' });
    expect(parseReportQuery('?period=custom&from=2026-03-05&to=2026-03-01').period).toBe('day');
    const custom = parseReportQuery('?period=custom&from=2026-01-01&to=2026-03-31&by=department');
    expect(serializeReportQuery(custom)).toBe('period=custom&from=2026-01-01&to=2026-03-31&by=department');
  });

  it('steps to the previous and next period', () => {
    expect(shiftPeriod('day', '2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftPeriod('week', '2026-03-04', 1)).toBe('2026-03-11');
    expect(shiftPeriod('month', '2026-01-31', 1)).toBe('2026-02-01');
    expect(shiftPeriod('quarter', '2026-05-20', -1)).toBe('2026-01-01');
    expect(shiftPeriod('quarter', '2026-11-20', 1)).toBe('2027-01-01');
  });

  it('sorts the table by any column, empty values last both ways', () => {
    const row = (code: string, closureRate: number | null, reported: number): ReportRow => ({
      unit: { id: 1, code, name: code, parent: null }, reported, void: 0, closed: 0, closureRate, avgHoursToClose: null, p90HoursToClose: null,
      overdue: 0, returned: 0, rated: 0, satisfaction: null,
    });
    const rows = [row('a', 0.5, 3), row('b', null, 9), row('c', 0.9, 1), row('d', 0.1, 5)];
    expect(sortRows(rows, 'closureRate', 'desc').map((r) => r.unit.code)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortRows(rows, 'closureRate', 'asc').map((r) => r.unit.code)).toEqual(['d', 'a', 'c', 'b']);
    expect(sortRows(rows, 'reported', 'desc').map((r) => r.unit.code)).toEqual(['b', 'd', 'a', 'c']);
    expect(sortRows(rows, 'code', 'asc').map((r) => r.unit.code)).toEqual(['a', 'b', 'c', 'd']);
  });
});
