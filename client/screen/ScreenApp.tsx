// The wall screen at `/screen`: designed for 1920×1080 and 3840×2160 displays, dark, no scrolling,
// nothing that needs a mouse. The map fills the wall; the day's figures sit on the left, the urgent
// incidents and the legend on the right, the title with the clock and the data freshness on top.
// Sizes are in rem with the root font size tied to the viewport width (screen.css), so 4K looks
// like 1080p, only sharper; the map's pixel sizes follow through `pixelScale`.
//
// Without a mouse the screen shows detail by itself: every CYCLE_MS it moves to the next urgent
// incident of the ticker, marks it on the map and shows its card.
import { useEffect, useMemo, useState } from 'react';
import { useT } from '../i18n/index.js';
import { DEFAULT_ATTRIBUTION, MapView } from '../map/MapView.js';
import { LiveBridge } from '../map/LiveBridge.js';
import { cameraIconAtlas } from '../map/iconAtlas.js';
import { KpiPanel } from '../panels/KpiPanel.js';
import { LayerPanel } from '../panels/LayerPanel.js';
import { Ticker } from '../panels/Ticker.js';
import { IncidentCard } from '../panels/DetailCard.js';
import { Clock, Freshness, useTicker } from '../panels/Clock.js';
import { useCommandCenter } from '../useCommandCenter.js';
import { darkTheme, type Theme } from '../theme.js';

export const CYCLE_MS = 12_000;
const CYCLE_ITEMS = 8;

/** Viewport size, and the wall's scale against the 1920-px design (1 at 1080p, 2 at 4K). */
export function useViewportScale(): { width: number; height: number; scale: number } {
  const read = () => {
    const width = globalThis.innerWidth || 1920;
    const height = globalThis.innerHeight || 1080;
    return { width, height, scale: Math.max(0.75, Math.min(3, width / 1920)) };
  };
  const [v, setV] = useState(read);
  useEffect(() => {
    const onResize = () => setV(read());
    globalThis.addEventListener('resize', onResize);
    return () => globalThis.removeEventListener('resize', onResize);
  }, []);
  return v;
}

export function ScreenApp({ theme = darkTheme }: { theme?: Theme }) {
  const t = useT();
  const { width, height, scale } = useViewportScale();
  const cc = useCommandCenter({ theme, pixelScale: scale, interactive: false });
  const { map, state, layers, kpis, recent, timezone } = cc;
  const now = useTicker(1000);
  const atlas = useMemo(() => cameraIconAtlas(theme), [theme]);

  useEffect(() => {
    document.title = `${t('app.title')} · ${t('nav.screen')}`;
  }, [t]);

  // The cycling highlight over the newest urgent incidents.
  const cycleItems = useMemo(() => (recent.data ?? []).slice(0, CYCLE_ITEMS), [recent.data]);
  const [cycle, setCycle] = useState(0);
  useEffect(() => {
    if (cycleItems.length < 2) return;
    const id = setInterval(() => setCycle((c) => c + 1), CYCLE_MS);
    return () => clearInterval(id);
  }, [cycleItems.length]);
  const active = cycleItems.length ? cycleItems[cycle % cycleItems.length] : null;
  const focus = useMemo(() => (active ? { lon: active.lon, lat: active.lat, kind: 'incident' } : null), [active]);

  // Keep the county clear of the side panels: the fit pads by their width.
  const fitPadding = useMemo(
    () => ({
      top: Math.round(height * 0.1),
      bottom: Math.round(height * 0.05),
      left: Math.round(width * 0.245),
      right: Math.round(width * 0.235),
    }),
    [width, height],
  );

  return (
    <div className="screen" data-testid="screen" data-scale={scale}>
      <div className="screen__map">
        {cc.config.data || cc.config.failures > 2 ? (
          <MapView
            data={map.data}
            basemap={map.basemap}
            theme={theme}
            crs={cc.crs}
            styleUrl={cc.styleUrl}
            initialView={{ center: state.center, zoom: state.zoom }}
            grids={layers.grids}
            below={layers.below}
            above={layers.above}
            regions={state.layers.includes('regions')}
            gridLabels={state.layers.includes('grids') ? state.gridLabel : null}
            gridTooltip={false}
            controls={false}
            attributionControl={false}
            pixelScale={scale}
            fitPadding={fitPadding}
            onViewChange={cc.onViewChange}
            onZoomStep={cc.onZoomStep}
            focus={focus}
            groups={layers.groups}
            pending={layers.pending}
          />
        ) : null}
        {cc.liveWanted && <LiveBridge onFeed={cc.setLive} />}
      </div>

      <header className="screen__header">
        <div className="screen__header-side screen__header-side--left">
          <Freshness
            liveStatus={cc.liveWanted ? (cc.live?.status ?? 'connecting') : null}
            lastLiveAt={cc.live?.lastMessageAt ?? null}
            lastKpiAt={kpis.lastSuccessAt}
            failures={cc.failures}
            nowMs={now}
          />
        </div>
        <div className="screen__title">
          <h1>{t('app.title')}</h1>
          <p>{t('app.subtitle')}</p>
        </div>
        <div className="screen__header-side screen__header-side--right">
          <Clock timezone={timezone} nowMs={now} />
        </div>
      </header>

      <aside className="screen__panel screen__panel--left">
        <h2 className="panel-title">
          <span className="panel-title__mark" aria-hidden />
          {t('kpi.title')}
        </h2>
        <KpiPanel kpis={kpis.data} error={kpis.error} variant="screen" />
      </aside>

      <aside className="screen__panel screen__panel--right">
        {active && (
          <div className="screen__focus" data-testid="screen-focus" data-incident-id={active.id}>
            <IncidentCard api={cc.api} id={active.id} timezone={timezone} />
          </div>
        )}
        <Ticker items={recent.data} timezone={timezone} activeId={active?.id ?? null} variant="screen" max={20} />
      </aside>

      {state.layers.length > 0 && (
        <div className="screen__legend">
          <LayerPanel state={state} legend={layers.legend} variant="screen" timezone={timezone} nowMs={cc.nowMs} atlas={atlas} />
        </div>
      )}

      <footer className="screen__footer">
        {cc.config.data?.demoData && <span className="screen__demo" data-testid="demo-note">{t('demo.note')}</span>}
        <span className="screen__attribution">{DEFAULT_ATTRIBUTION}</span>
      </footer>
      {map.status === 'loading' && <div className="app-status">{t('app.loading')}</div>}
    </div>
  );
}
