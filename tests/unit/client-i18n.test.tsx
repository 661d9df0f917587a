// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { I18nProvider, messages, translate, useLocale, useT } from '../../client/i18n/index.js';
import { zhCN } from '../../client/i18n/zh-CN.js';
import { en } from '../../client/i18n/en.js';

function Probe() {
  const t = useT();
  const [locale, setLocale] = useLocale();
  return (
    <div>
      <h1>{t('app.title')}</h1>
      <p data-testid="count">{t('stats.grids', { count: 1076 })}</p>
      <button type="button" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
        {t('lang.switch')}
      </button>
    </div>
  );
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('i18n', () => {
  it('defaults to Simplified Chinese', () => {
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading').textContent).toBe('东海县网格化治理指挥中心');
    expect(screen.getByTestId('count').textContent).toBe('网格 1076 个');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches to English and back, and remembers the choice', () => {
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    act(() => screen.getByRole('button', { name: 'English' }).click());
    expect(screen.getByRole('heading').textContent).toBe('Donghai County Grid Governance Command Center');
    expect(screen.getByTestId('count').textContent).toBe('1076 grids');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('gridcc.locale')).toBe('en');
    cleanup();

    // A new page load starts in the remembered language.
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading').textContent).toBe('Donghai County Grid Governance Command Center');
    act(() => screen.getByRole('button', { name: '中文' }).click());
    expect(screen.getByRole('heading').textContent).toBe('东海县网格化治理指挥中心');
  });

  it('has the same keys in every language, none empty', () => {
    const keys = Object.keys(zhCN).sort();
    expect(Object.keys(en).sort()).toEqual(keys);
    for (const table of Object.values(messages)) for (const k of keys) expect(table[k as keyof typeof zhCN]).not.toBe('');
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(translate('zh-CN', 'tooltip.workersValue', { count: 3 })).toBe('3 人');
    expect(translate('en', 'app.loadError', {})).toBe('Could not load data: {message}');
  });

  it('useT outside the provider says what is wrong', () => {
    expect(() => render(<Probe />)).toThrow(/I18nProvider/);
  });
});
