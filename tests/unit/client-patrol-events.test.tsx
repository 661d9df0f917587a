// @vitest-environment jsdom
// The operator view's list of worker events against a mocked server: the newest first, each with
// the worker, the grid, the local time and what happened; leaving the assigned grid marked.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ApiClient } from '../../client/api/client.js';
import { PatrolEvents, usePatrolEvents } from '../../client/panels/PatrolEvents.js';
import { I18nProvider } from '../../client/i18n/index.js';
import type { WorkerEventItem } from '../../server/schemas/patrols.js';

const event = (id: number, kind: string, time: string, gridName: string | null = '石榴街道东安村第4网格'): WorkerEventItem =>
  ({ id, workerId: 100 + id, workerName: `网格员${id}`, kind, time, gridId: gridName ? 7 : null, gridName, lon: 118.7, lat: 34.5 });
const items = [event(3, 'left_assigned_grid', '2026-11-28T01:02:03Z'), event(2, 'grid_enter', '2026-11-28T01:00:00Z'), event(1, 'offline', '2026-11-28T00:50:00Z', null)];
const seen: URL[] = [];
const server = setupServer(http.get('*/api/patrols/events', ({ request }) => { seen.push(new URL(request.url)); return HttpResponse.json(items); }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => { cleanup(); seen.length = 0; });
afterAll(() => server.close());

function Harness() {
  const r = usePatrolEvents(new ApiClient({ baseUrl: 'http://api.test/' }));
  return <PatrolEvents items={r.data} timezone="Asia/Shanghai" />;
}

describe('patrol events', () => {
  it('lists the newest worker events with worker, grid, local time and kind', async () => {
    render(<I18nProvider locale="zh-CN"><Harness /></I18nProvider>);
    await waitFor(() => expect(document.querySelectorAll('[data-event-kind]')).toHaveLength(3));
    expect(seen[0].searchParams.get('limit')).toBe('50');
    const [first, second, third] = [...document.querySelectorAll<HTMLElement>('[data-event-kind]')];
    expect(first.textContent).toContain('网格员3');
    expect(first.textContent).toContain('石榴街道东安村第4网格');
    expect(first.textContent).toContain('离开责任网格');
    expect(first.querySelector('time')!.textContent).toBe('09:02:03');
    expect(first.querySelector('.status-chip--returned')).not.toBeNull();
    expect(second.textContent).toContain('进入网格');
    expect(second.querySelector('.status-chip--closed')).not.toBeNull();
    expect(third.textContent).toContain('离线');
    expect(screen.getByRole('heading').textContent).toContain('巡查动态');
  });

  it('says so when there are none, in English too', () => {
    render(<I18nProvider locale="en"><PatrolEvents items={[]} timezone="Asia/Shanghai" /></I18nProvider>);
    expect(screen.getByText('No worker events in the last day')).toBeTruthy();
  });
});
