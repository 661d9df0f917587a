// @vitest-environment jsdom
// The layer panel: switches write the layer list, options write the URL state, legends show what
// the layers draw (ramps with the server's maximum, counts), the wall variant has nothing to click.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { LayerPanel, type LayerPanelProps } from '../../client/panels/LayerPanel.js';
import { I18nProvider } from '../../client/i18n/index.js';
import { DEFAULT_URL_STATE, type MapUrlState, type UrlStateUpdate } from '../../client/state/urlState.js';
import type { LegendInfo } from '../../client/map/useCommandLayers.js';

const legend: LegendInfo = {
  indicator: { indicator: 'open_incidents', max: 9, values: { 1: 3 } },
  heat: { total: 2017, maxCount: 31 },
  points: null,
  pointsMode: false,
  tracks: 0,
  workers: { patrolling: 1773, idle: 980, outside: 4, offline: 146 },
  cameras: { total: 3565, offline: 239 },
};

function setup(props: Partial<LayerPanelProps> = {}, state: MapUrlState = { ...DEFAULT_URL_STATE, layers: [...DEFAULT_URL_STATE.layers] }) {
  let current = state;
  const update = vi.fn((u: UrlStateUpdate) => {
    current = { ...current, ...(typeof u === 'function' ? u(current) : u) };
  });
  const ui = (s: MapUrlState) => (
    <I18nProvider locale="zh-CN">
      <LayerPanel state={s} update={update} legend={legend} timezone="Asia/Shanghai" nowMs={Date.parse('2026-11-27T06:00:00Z')} {...props} />
    </I18nProvider>
  );
  const r = render(ui(current));
  return { update, get state() { return current; }, rerender: () => r.rerender(ui(current)) };
}

afterEach(cleanup);

describe('layer panel', () => {
  it('lists the five layers, all on by default, with their legends', () => {
    setup();
    for (const k of ['grids', 'regions', 'cameras', 'incidents', 'patrols']) {
      expect((screen.getByTestId(`toggle-${k}`) as HTMLInputElement).checked).toBe(true);
    }
    expect(screen.getByText('网格')).toBeTruthy();
    expect(screen.getByText('视频监控')).toBeTruthy();
    expect(screen.getByText('事件热力')).toBeTruthy();
    expect(screen.getByText('巡查轨迹与人员')).toBeTruthy();
    expect(screen.getByTestId('indicator-max').textContent).toBe('9');
    expect(screen.getByTestId('heat-total').textContent).toBe('共 2,017 件');
    expect(screen.getByText('雪亮工程')).toBeTruthy();
    expect(screen.getByText('村村通')).toBeTruthy();
    expect(screen.getByText('社会面')).toBeTruthy();
    const workers = document.querySelector('[data-legend="workers"]')!;
    expect(workers.querySelector('[data-state="patrolling"]')!.textContent).toBe('巡查中1,773');
    expect(workers.querySelector('[data-state="outside"]')!.textContent).toBe('离开责任网格4');
  });

  it('a switch turns its layer off and on again, keeping the canonical order', () => {
    const p = setup();
    act(() => screen.getByTestId('toggle-cameras').click());
    expect(p.state.layers).toEqual(['grids', 'regions', 'incidents', 'patrols']);
    p.rerender();
    expect((screen.getByTestId('toggle-cameras') as HTMLInputElement).checked).toBe(false);
    // A layer that is off shows no legend.
    expect(document.querySelector('[data-legend="cameras"]')).toBeNull();
    act(() => screen.getByTestId('toggle-cameras').click());
    expect(p.state.layers).toEqual(['grids', 'regions', 'cameras', 'incidents', 'patrols']);
  });

  it('chooses the grid indicator and shows the coverage legend for coverage', () => {
    const p = setup();
    fireEvent.change(screen.getByTestId('indicator-select'), { target: { value: 'coverage' } });
    expect(p.state.indicator).toBe('coverage');
    p.rerender();
    expect(screen.getByText('今日已巡查')).toBeTruthy();
    expect(screen.getByText('今日未巡查')).toBeTruthy();
  });

  it('sets the time window and the incident filters', () => {
    const p = setup();
    const presets = screen.getByTestId('window-presets');
    act(() => (presets.querySelector('button:nth-child(1)') as HTMLButtonElement).click());
    expect(p.state.window).toBe('24h');
    p.rerender();
    act(() => (screen.getByTestId('filter-source').querySelector('[data-value="hotline"]') as HTMLButtonElement).click());
    expect(p.state.sources).toEqual(['hotline']);
    p.rerender();
    act(() => (screen.getByTestId('filter-status').querySelector('[data-value="overdue"]') as HTMLButtonElement).click());
    expect(p.state.statuses).toEqual(['overdue']);
    p.rerender();
    act(() => (screen.getByTestId('filter-category').querySelector('[data-value="环境卫生"]') as HTMLButtonElement).click());
    expect(p.state.categories).toEqual(['环境卫生']);
    p.rerender();
    act(() => screen.getByText('清除筛选').click());
    expect(p.state).toMatchObject({ sources: [], statuses: [], categories: [] });
  });

  it('opens a custom range with a slider that commits after a pause', () => {
    vi.useFakeTimers();
    try {
      const p = setup();
      act(() => (screen.getByTestId('window-presets').querySelector('button:nth-child(4)') as HTMLButtonElement).click());
      expect(p.state.window).toBe('custom');
      p.rerender();
      const [fromInput] = screen.getByTestId('window-slider').querySelectorAll('input');
      fireEvent.change(fromInput, { target: { value: '24' } }); // one day after the slider's start
      act(() => {
        vi.advanceTimersByTime(500);
      });
      expect(p.state.window).toBe('custom');
      expect(Date.parse(p.state.to!) - Date.parse(p.state.from!)).toBeGreaterThan(0);
      expect(p.state.from).toBe('2026-08-30T07:00:00.000Z'); // 90 days back from the next full hour, + 24 h
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the incident point legend when zoomed in', () => {
    setup({ legend: { ...legend, pointsMode: true, points: { shown: 795, matched: 795, truncated: false } } });
    expect(screen.getByTestId('points-count').textContent).toBe('显示 795 / 795 件');
    expect(screen.getByText('派遣 / 处置中')).toBeTruthy();
  });

  it('is a legend only on the wall: no switches, no options', () => {
    render(
      <I18nProvider locale="zh-CN">
        <LayerPanel state={{ ...DEFAULT_URL_STATE, layers: ['grids', 'incidents'] }} legend={legend} variant="screen" timezone="Asia/Shanghai" nowMs={0} />
      </I18nProvider>,
    );
    expect(document.querySelectorAll('input, select, button')).toHaveLength(0);
    expect(screen.getByText('在办事件数')).toBeTruthy();
    expect(screen.getByText('近7天')).toBeTruthy();
    // Layers that are off are there but marked off (the wall hides them).
    expect(document.querySelector('[data-layer="cameras"]')!.className).toContain('layer--off');
  });
});
