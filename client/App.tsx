// The operator view at `/`: a header (title, figures, language switch) over a full-window map with
// a legend. (/screen and /reports come later.)
import { useEffect, useMemo } from 'react';
import { useLocale, useT } from './i18n/index.js';
import { MapView } from './map/MapView.js';
import { useMapData } from './map/useMapData.js';
import { Legend } from './panels/Legend.js';
import { lightTheme, type Theme } from './theme.js';

export function App({ theme = lightTheme }: { theme?: Theme }) {
  const t = useT();
  const [locale, setLocale] = useLocale();
  const state = useMapData();
  const data = state.data;

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  const n = (value: number) => value.toLocaleString(locale);

  const counts = useMemo(() => {
    if (!data) return null;
    let urban = 0;
    for (const g of data.grids) if (g.properties.kind === 'urban') urban++;
    return {
      grids: data.grids.length,
      urban,
      rural: data.grids.length - urban,
      townships: data.townships.length,
      villages: data.villages.length,
    };
  }, [data]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header__brand">
          <span className="app-header__emblem" aria-hidden />
          <div>
            <h1 className="app-header__title">{t('app.title')}</h1>
            <p className="app-header__subtitle">{t('app.subtitle')}</p>
          </div>
        </div>
        {counts && (
          <ul className="app-header__stats" data-testid="stats">
            <li>{t('stats.townships', { count: n(counts.townships) })}</li>
            <li>{t('stats.villages', { count: n(counts.villages) })}</li>
            <li>{t('stats.grids', { count: n(counts.grids) })}</li>
          </ul>
        )}
        <button
          type="button"
          className="app-header__lang"
          title={t('lang.switchTitle')}
          onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t('lang.switch')}
        </button>
      </header>
      <main className="app-main">
        <MapView data={data} basemap={state.basemap} theme={theme} />
        <Legend urbanCount={counts && n(counts.urban)} ruralCount={counts && n(counts.rural)} />
        {state.status === 'loading' && <div className="app-status">{t('app.loading')}</div>}
        {state.status === 'error' && (
          <div className="app-status app-status--error" role="alert">
            {t('app.loadError', { message: state.error.message })}
            <button type="button" onClick={state.reload}>
              {t('app.retry')}
            </button>
          </div>
        )}
      </main>
    </div>
  );
}
