// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { GridTooltip } from '../../client/map/GridTooltip.js';
import { I18nProvider, type Locale } from '../../client/i18n/index.js';
import type { GridProperties } from '../../server/schemas/grids.js';

const grid: GridProperties = {
  id: 7,
  code: '320722001001-01',
  name: '牛山社区第1网格',
  kind: 'urban',
  villageCode: '320722001001',
  villageName: '牛山社区',
  townshipCode: '320722001',
  townshipName: '牛山街道',
  workerCount: 4,
  version: 3,
};

function renderTooltip(locale: Locale, props: Partial<Parameters<typeof GridTooltip>[0]> = {}) {
  return render(
    <I18nProvider locale={locale}>
      <GridTooltip grid={grid} {...props} />
    </I18nProvider>,
  );
}

const field = (name: string) => screen.getByRole('tooltip').querySelector(`[data-field="${name}"]`)?.textContent;

afterEach(cleanup);

describe('GridTooltip', () => {
  it('shows name, code, township, village and workers with Chinese labels', () => {
    renderTooltip('zh-CN');
    const tip = screen.getByRole('tooltip');
    expect(tip.dataset.gridCode).toBe('320722001001-01');
    expect(field('name')).toBe('牛山社区第1网格');
    expect(field('code')).toBe('320722001001-01');
    expect(field('township')).toBe('牛山街道');
    expect(field('village')).toBe('牛山社区');
    expect(field('workers')).toBe('4 人');
    const labels = [...tip.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(labels).toEqual(['编码', '镇街', '村社区', '网格员']);
    expect(tip.textContent).toContain('网格');
    expect(tip.textContent).toContain('城镇');
  });

  it('labels the fields in English when the locale is en (values stay as they are)', () => {
    renderTooltip('en');
    const tip = screen.getByRole('tooltip');
    const labels = [...tip.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(labels).toEqual(['Code', 'Township', 'Village', 'Grid workers']);
    expect(field('name')).toBe('牛山社区第1网格');
    expect(field('workers')).toBe('4');
    expect(tip.textContent).toContain('Urban');
  });

  it('marks rural grids as such', () => {
    render(
      <I18nProvider locale="zh-CN">
        <GridTooltip grid={{ ...grid, kind: 'rural' }} />
      </I18nProvider>,
    );
    expect(screen.getByRole('tooltip').textContent).toContain('农村');
  });

  it('sits beside the pointer and flips to stay inside the map', () => {
    renderTooltip('zh-CN', { x: 100, y: 80, containerWidth: 1000, containerHeight: 700 });
    let tip = screen.getByRole('tooltip');
    expect(tip.style.left).toBe('114px');
    expect(tip.style.top).toBe('94px');
    cleanup();
    renderTooltip('zh-CN', { x: 950, y: 650, containerWidth: 1000, containerHeight: 700 });
    tip = screen.getByRole('tooltip');
    expect(parseFloat(tip.style.left)).toBeLessThan(950);
    expect(parseFloat(tip.style.top)).toBeLessThan(650);
  });
});
