// @vitest-environment jsdom
// The operation dialogs' village picker (client/editor/Panels.tsx): the village chosen from the map
// is listed and selected even past the first 200 villages, and the dry run is sent with it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { I18nProvider } from '../../client/i18n/index.js';
import { EditApi } from '../../client/editor/api.js';
import { CreateDialog, ReassignDialog, type VillageOption } from '../../client/editor/Panels.js';
import type { GridInfo } from '../../client/editor/coverageModel.js';

const villages: VillageOption[] = Array.from({ length: 373 }, (_, i) => ({
  code: `320722${String(100 + Math.floor(i / 20)).padStart(3, '0')}${String(200 + i).padStart(3, '0')}`,
  name: `第${i}村`,
  township: `第${Math.floor(i / 20)}镇`,
}));
const late = villages[300];

const bodies: Array<{ url: string; body: Record<string, unknown> }> = [];
const server = setupServer(
  http.post('*/api/grids*', async ({ request }) => {
    const body = (await request.json()) as Record<string, unknown>;
    bodies.push({ url: request.url, body });
    return HttpResponse.json({ changeSetId: null, dryRun: true, grids: [{ id: 9, code: `${String(body.villageCode)}-01`, name: '新网格', change: 'created', fromVersion: null, toVersion: 1, areaBeforeM2: 0, areaAfterM2: 12000 }] });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  bodies.length = 0;
});
afterAll(() => server.close());

const noop = () => {};
const common = { api: new EditApi({ baseUrl: 'http://test.local' }), onClose: noop, onCommitted: noop, onViolations: noop, onLocate: noop, onConflictReload: noop };
const ring = [[118.5, 34.5], [118.501, 34.5], [118.501, 34.501]];

describe('village picker of the editor dialogs', () => {
  it('a new grid: the village under the drawing is selected though it is not among the first 200', async () => {
    render(
      <I18nProvider locale="zh-CN">
        <CreateDialog {...common} ring={ring} villages={villages} defaultVillage={late.code} />
      </I18nProvider>,
    );
    const select = screen.getByRole('listbox', { name: '目标村（社区）' }) as HTMLSelectElement;
    expect(select.value).toBe(late.code);
    expect(select.selectedOptions[0]?.textContent).toContain(late.name);
    // the dry run runs with it
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].body).toMatchObject({ villageCode: late.code, dryRun: true });
    // a search that does not match it keeps it listed (and selected)
    fireEvent.change(screen.getByPlaceholderText('搜索村（社区）名称或代码'), { target: { value: '第1村' } });
    expect(select.value).toBe(late.code);
    expect(screen.getAllByRole('option').map((o) => o.getAttribute('value'))).toContain(villages[1].code);
  });

  it('moving a grid: the village picked after a search stays selected when the search changes', async () => {
    const grid: GridInfo = { id: 5, code: `${villages[0].code}-03`, name: '第3网格', village_code: villages[0].code, kind: 'rural', version: 4, bbox: [118.5, 34.5, 118.51, 34.51] };
    render(
      <I18nProvider locale="zh-CN">
        <ReassignDialog {...common} grid={grid} villages={villages} />
      </I18nProvider>,
    );
    const select = screen.getByRole('listbox', { name: '目标村（社区）' }) as HTMLSelectElement;
    expect(screen.getAllByRole('option').map((o) => o.getAttribute('value'))).not.toContain(villages[0].code);
    fireEvent.change(screen.getByPlaceholderText('搜索村（社区）名称或代码'), { target: { value: late.name } });
    fireEvent.change(select, { target: { value: late.code } });
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].url).toMatch(/\/api\/grids\/5\/reassign$/);
    expect(bodies[0].body).toMatchObject({ villageCode: late.code, baseVersion: 4, dryRun: true });
    fireEvent.change(screen.getByPlaceholderText('搜索村（社区）名称或代码'), { target: { value: '' } });
    expect(select.value).toBe(late.code);
  });
});
