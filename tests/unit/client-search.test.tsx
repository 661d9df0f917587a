// @vitest-environment jsdom
// Search (GET /api/search?q=): debounced requests, results with kind and context, keyboard and
// mouse selection handing the result (with its box to fly to) to the page.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ApiClient, type SearchResult } from '../../client/api/client.js';
import { SearchBox } from '../../client/panels/SearchBox.js';
import { I18nProvider } from '../../client/i18n/index.js';

const results: SearchResult[] = [
  { kind: 'township', id: 1, code: '320722001', name: '牛山街道', context: '东海县', bbox: [118.7, 34.5, 118.8, 34.6] },
  { kind: 'village', id: 22, code: '320722001001', name: '牛山社区居民委员会', context: '牛山街道', bbox: [118.75, 34.52, 118.77, 34.53] },
  { kind: 'grid', id: 7, code: '320722001001-01', name: '牛山社区第1网格', context: '牛山街道 · 牛山社区', bbox: [118.76, 34.52, 118.765, 34.525] },
];
const queries: string[] = [];
const server = setupServer(
  http.get('*/api/search', ({ request }) => {
    const q = new URL(request.url).searchParams.get('q')!;
    queries.push(q);
    if (q === '不存在') return HttpResponse.json([]);
    if (q === 'boom') return HttpResponse.json({ message: 'boom' }, { status: 500 });
    return HttpResponse.json(results.filter((r) => r.name.includes(q) || r.code.startsWith(q)));
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  queries.length = 0;
});
afterAll(() => server.close());

function setup() {
  const onSelect = vi.fn();
  render(
    <I18nProvider locale="zh-CN">
      <SearchBox api={new ApiClient({ baseUrl: 'http://api.test/' })} onSelect={onSelect} debounceMs={20} />
    </I18nProvider>,
  );
  const input = screen.getByRole('combobox') as HTMLInputElement;
  return { onSelect, input };
}

describe('search', () => {
  it('asks once the typing pauses and lists townships, villages and grids', async () => {
    const { input } = setup();
    expect(input.placeholder).toBe('搜索镇街、村社区、网格名称或编码');
    fireEvent.change(input, { target: { value: '牛' } });
    fireEvent.change(input, { target: { value: '牛山' } });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(3));
    expect(queries).toEqual(['牛山']); // the first keystroke was superseded
    const [t, v, g] = screen.getAllByRole('option');
    expect(t.textContent).toContain('镇街');
    expect(v.textContent).toContain('村社区');
    expect(g.textContent).toContain('网格');
    expect(g.textContent).toContain('牛山街道 · 牛山社区');
    expect(g.textContent).toContain('320722001001-01');
  });

  it('picks with the arrow keys and Enter, handing over the box to fly to', async () => {
    const { input, onSelect } = setup();
    fireEvent.change(input, { target: { value: '牛山' } });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(3));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option')[2].getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSelect).toHaveBeenCalledWith(results[2]);
    expect(onSelect.mock.calls[0][0].bbox).toEqual([118.76, 34.52, 118.765, 34.525]);
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(input.value).toBe('牛山社区第1网格');
  });

  it('picks with the mouse', async () => {
    const { input, onSelect } = setup();
    fireEvent.change(input, { target: { value: '320722001001' } });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    act(() => {
      fireEvent.mouseDown(screen.getAllByRole('option')[0]);
    });
    expect(onSelect).toHaveBeenCalledWith(results[1]);
  });

  it('says when nothing matches and when the search failed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { input } = setup();
    fireEvent.change(input, { target: { value: '不存在' } });
    await waitFor(() => expect(screen.getByText('无匹配结果')).toBeTruthy());
    fireEvent.change(input, { target: { value: 'boom' } });
    await waitFor(() => expect(screen.getByText('搜索失败')).toBeTruthy());
    warn.mockRestore();
  });
});
