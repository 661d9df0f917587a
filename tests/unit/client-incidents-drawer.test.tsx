// @vitest-environment jsdom
// The incident drawer against a mocked server (msw): fields and timeline, a button per action the
// server allows, the inputs each action needs in its request body, refusals (409, 403) in Chinese,
// and a viewer logging in as a dispatcher from the drawer.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { I18nProvider } from '../../client/i18n/index.js';
import { sessionStore } from '../../client/auth/useSession.js';
import { IncidentApi, type TimelineEvent, type WorkflowIncident } from '../../client/incidents/api.js';
import { IncidentDrawer } from '../../client/incidents/IncidentDrawer.js';

const DISPATCHER = { id: 5, username: 'li', displayName: '李调度', role: 'dispatcher', township: null };
const VIEWER = { id: 6, username: 'wang', displayName: '王查看', role: 'viewer', township: null };

const incident = (over: Partial<WorkflowIncident> = {}): WorkflowIncident => ({
  id: 77, code: 'SJ20260301-0000077', category: '环境卫生', source: 'command_center', status: 'reported', statusLabel: '上报', level: 'village',
  priority: 1, description: '道路边垃圾堆积', address: '牛山路 12 号', lon: 118.77, lat: 34.54, gridId: 3, gridCode: '320722001001-01',
  villageId: 30, village: '东关社区居民委员会', townshipId: 2, township: '牛山街道', townshipCode: '320722001', departmentId: null, department: null,
  assignedWorkerId: 11, reporterWorkerId: null, photoUrl: null, resolvedOnSite: false, duplicateOf: null, reportedAt: '2026-03-01T02:00:00.000Z',
  acceptedAt: null, dispatchedAt: null, startedAt: null, resolvedAt: null, ratedAt: null, closedAt: null, dueAt: '2026-03-01T02:30:00.000Z',
  overdue: true, rating: null, ratingComment: null, returnCount: 0, escalationCount: 0, ...over,
});
const event = (seq: number, action: string, from: string | null, to: string, note: string | null = null, data: unknown = null): TimelineEvent => ({
  seq, action, actionLabel: action, from, fromLabel: from, to, toLabel: to, actor: { kind: 'user', userId: 5, name: '李调度' },
  at: `2026-03-01T0${1 + seq}:00:00.000Z`, note, data,
});
const ACTIONS: Record<string, string[]> = {
  reported: ['accept', 'return', 'escalate', 'void'],
  accepted: ['dispatch', 'start', 'return', 'escalate', 'void'],
  returned: ['accept', 'dispatch', 'start', 'escalate', 'void'],
  resolved: ['rate', 'close', 'return'],
};

let me: typeof DISPATCHER | typeof VIEWER | null = DISPATCHER;
let current = incident();
let events: TimelineEvent[] = [event(1, 'report', null, 'reported', '指挥中心上报')];
let posted: Array<Record<string, unknown>> = [];
let refuse: { status: number; body: Record<string, unknown> } | null = null;

const server = setupServer(
  http.get('*/api/auth/me', () => (me ? HttpResponse.json(me) : HttpResponse.json({ message: 'login required' }, { status: 401 }))),
  http.post('*/api/auth/login', async ({ request }) => {
    const body = (await request.json()) as { username: string };
    me = body.username === 'li' ? DISPATCHER : VIEWER;
    return HttpResponse.json({ user: me, expiresAt: '2030-01-01T00:00:00Z' });
  }),
  http.get('*/api/incidents/77/timeline', () => HttpResponse.json({ incident: current, events })),
  http.get('*/api/incidents/77/actions', () => HttpResponse.json({
    status: current.status, statusLabel: current.statusLabel, level: current.level,
    actions: (me?.role === 'dispatcher' ? ACTIONS[current.status] ?? [] : []).map((a) => ({ action: a, label: a, to: 'x', toLabel: 'x' })),
  })),
  http.get('*/api/incidents/categories', () => HttpResponse.json([{ code: 'C01', name: '环境卫生', group: '城市管理', description: '', departmentId: 2, departmentCode: 'D02', department: '县城市管理局', defaultPriority: 3, slaHours: { accept: 2, dispatch: 4, start: 8, resolve: 24, close: 72 } }])),
  http.get('*/api/incidents/departments', () => HttpResponse.json([{ id: 2, code: 'D02', name: '县城市管理局', kind: 'government' }, { id: 9, code: 'D09', name: '县水利局', kind: 'government' }])),
  http.get('*/api/incidents/:id', ({ params }) => HttpResponse.json({ id: Number(params.id), code: 'SJ20260301-0000005', status: 'reported' })),
  http.post('*/api/incidents/77/transitions', async ({ request }) => {
    const body = (await request.json()) as Record<string, unknown>;
    posted.push(body);
    if (refuse) return HttpResponse.json({ statusCode: refuse.status, ...refuse.body }, { status: refuse.status });
    const to: Record<string, string> = { accept: 'accepted', dispatch: 'dispatched', return: 'returned', rate: 'rated', void: 'void', escalate: 'accepted' };
    const ev = event(events.length + 1, String(body.action), current.status, to[String(body.action)], (body.note ?? body.reason ?? null) as string | null, body.departmentId ? { department: '县水利局' } : null);
    current = incident({ status: to[String(body.action)] as WorkflowIncident['status'] });
    events = [...events, ev];
    return HttpResponse.json({ incident: current, event: ev });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  sessionStore.reset({ baseUrl: 'http://api.test' });
  me = DISPATCHER;
  current = incident();
  events = [event(1, 'report', null, 'reported', '指挥中心上报')];
  posted = [];
  refuse = null;
});
afterEach(() => cleanup());
afterAll(() => server.close());

const api = new IncidentApi({ baseUrl: 'http://api.test/' });

function renderDrawer() {
  const onChanged = vi.fn();
  const onFly = vi.fn();
  render(
    <I18nProvider locale="zh-CN">
      <IncidentDrawer api={api} id={77} timezone="Asia/Shanghai" onClose={() => undefined} onFly={onFly} onChanged={onChanged} />
    </I18nProvider>,
  );
  return { onChanged, onFly };
}
const drawer = () => screen.getByTestId('incident-drawer');
const actionButtons = () => [...drawer().querySelectorAll<HTMLButtonElement>('[data-testid=incident-actions] button[data-action]')].map((b) => b.dataset.action);
const open = async (action: string) => {
  await waitFor(() => expect(actionButtons()).toContain(action));
  fireEvent.click(drawer().querySelector(`button[data-action=${action}]`)!);
  return screen.getByTestId('transition-form');
};
const submit = async (form: HTMLElement) => {
  await act(async () => {
    fireEvent.click(within(form).getByTestId('transition-submit'));
  });
};

describe('incident drawer', () => {
  it('shows the fields, the timeline and a button for each allowed action', async () => {
    const { onFly } = renderDrawer();
    await waitFor(() => expect(drawer().dataset.status).toBe('reported'));
    expect(screen.getByTestId('incident-status').textContent).toBe('上报');
    expect(drawer().querySelector('.incident-drawer__title')!.textContent).toBe('SJ20260301-0000077');
    expect(screen.getByTestId('incident-description').textContent).toBe('道路边垃圾堆积');
    const field = (f: string) => drawer().querySelector(`[data-field=${f}] dd`)!.textContent;
    expect(field('priority')).toBe('特急');
    expect(field('source')).toBe('指挥中心');
    expect(field('level')).toBe('村（社区）');
    expect(field('place')).toBe('牛山街道 · 东关社区 · 320722001001-01');
    expect(field('dueAt')).toContain('超期');
    expect(screen.getByTestId('incident-timeline').textContent).toContain('指挥中心上报');
    expect(screen.getByTestId('incident-timeline').textContent).toContain('李调度');
    await waitFor(() => expect(actionButtons()).toEqual(['accept', 'return', 'escalate', 'void']));
    expect([...drawer().querySelectorAll('button[data-action]')].map((b) => b.textContent)).toEqual(['受理', '退回', '升级', '作废']);
    fireEvent.click(screen.getByTestId('incident-fly'));
    expect(onFly).toHaveBeenCalledWith(118.77, 34.54);
  });

  it('accepts with a note, then reloads: new state, new actions, the event in the timeline', async () => {
    const { onChanged } = renderDrawer();
    const form = await open('accept');
    fireEvent.change(within(form).getByLabelText('办理意见'), { target: { value: '已受理，马上派遣' } });
    await submit(form);
    expect(posted).toEqual([{ action: 'accept', note: '已受理，马上派遣' }]);
    await waitFor(() => expect(drawer().dataset.status).toBe('accepted'));
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ id: 77, status: 'accepted' }), 'accept');
    expect(screen.getByRole('status').textContent).toBe('已受理');
    await waitFor(() => expect(actionButtons()).toEqual(['dispatch', 'start', 'return', 'escalate', 'void']));
    expect(screen.getByTestId('incident-timeline').textContent).toContain('已受理，马上派遣');
  });

  it('requires a reason to return, picks a department to dispatch, and a rating to rate', async () => {
    renderDrawer();
    let form = await open('return');
    await submit(form);
    expect(screen.getByRole('alert').textContent).toBe('请填写原因');
    expect(posted).toEqual([]);
    fireEvent.change(within(form).getByLabelText('原因 *'), { target: { value: '地址不清' } });
    await submit(form);
    expect(posted).toEqual([{ action: 'return', reason: '地址不清' }]);
    await waitFor(() => expect(drawer().dataset.status).toBe('returned'));

    form = await open('dispatch');
    const select = within(form).getByLabelText('承办部门') as HTMLSelectElement;
    await waitFor(() => expect(select.options).toHaveLength(3));
    expect(select.options[0].textContent).toBe('默认：县城市管理局');
    fireEvent.change(select, { target: { value: '9' } });
    await submit(form);
    expect(posted[1]).toEqual({ action: 'dispatch', departmentId: 9 });

    current = incident({ status: 'resolved', statusLabel: '办结' });
    cleanup();
    renderDrawer();
    form = await open('rate');
    await submit(form);
    expect(screen.getByRole('alert').textContent).toBe('请选择评分');
    fireEvent.click(within(form).getByLabelText('4'));
    fireEvent.change(within(form).getByLabelText('评价意见'), { target: { value: '满意' } });
    await submit(form);
    expect(posted[2]).toEqual({ action: 'rate', rating: 4, comment: '满意' });
  });

  it('voids as a duplicate of an incident given by id', async () => {
    renderDrawer();
    const form = await open('void');
    await submit(form);
    expect(screen.getByRole('alert').textContent).toBe('请填写原事件，或填写作废原因');
    fireEvent.change(within(form).getByLabelText('原事件编号或 ID'), { target: { value: '5' } });
    await submit(form);
    await waitFor(() => expect(posted).toEqual([{ action: 'void', duplicateOf: 5 }]));
  });

  it('shows a 409 with the current state and the possible actions in Chinese, and reloads', async () => {
    renderDrawer();
    const form = await open('accept');
    refuse = { status: 409, body: { message: 'accept: not allowed from accepted (受理)', field: 'action', status: 'accepted', statusLabel: '受理', allowed: ['dispatch', 'start', 'return'] } };
    current = incident({ status: 'accepted', statusLabel: '受理' });
    await submit(form);
    expect(screen.getByRole('alert').textContent).toBe('事件状态已变化，不能执行该操作（当前：受理）。可执行：派遣、开始处置、退回');
    await waitFor(() => expect(drawer().dataset.status).toBe('accepted'));
    fireEvent.click(within(form).getByRole('button', { name: '取消' }));
    await waitFor(() => expect(actionButtons()).toEqual(['dispatch', 'start', 'return', 'escalate', 'void']));
  });

  it('shows a 403 in Chinese', async () => {
    renderDrawer();
    const form = await open('escalate');
    refuse = { status: 403, body: { message: 'role viewer may not run the incident workflow; needs dispatcher or admin', field: 'action', allowed: [] } };
    await submit(form);
    expect(screen.getByRole('alert').textContent).toBe('无权执行该操作：需要“调度员”或“管理员”角色');
    refuse = { status: 403, body: { message: 'incident is outside your township (320722100)', field: 'action', allowed: [] } };
    await submit(form);
    expect(screen.getByRole('alert').textContent).toBe('位置不在您负责的镇街范围内');
  });

  it('lets a viewer log in as a dispatcher from the drawer, then shows the actions', async () => {
    me = VIEWER;
    renderDrawer();
    await waitFor(() => expect(screen.getByTestId('incident-login').textContent).toContain('当前账号（查看员）不能办理事件'));
    expect(actionButtons()).toEqual([]);
    fireEvent.click(screen.getByTestId('incident-login-open'));
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'li' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'secret' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '登录' }));
    });
    await waitFor(() => expect(actionButtons()).toEqual(['accept', 'return', 'escalate', 'void']));
    expect(screen.queryByTestId('incident-login')).toBeNull();
  });
});
