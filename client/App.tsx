// The operator view at `/`: a header (title, search, figures, wall-screen link, language switch),
// the layer panel on the left, the map in the middle with the detail card of what was clicked, the
// day's figures and the ticker of urgent incidents on the right. The left side also holds the
// incident list; an incident opens in a drawer over the map's right edge, as does the report form.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocale, useT } from './i18n/index.js';
import { MapView } from './map/MapView.js';
import { LiveBridge } from './map/LiveBridge.js';
import { cameraIconAtlas } from './map/iconAtlas.js';
import { KpiPanel } from './panels/KpiPanel.js';
import { PatrolEvents, usePatrolEvents } from './panels/PatrolEvents.js';
import { LayerPanel } from './panels/LayerPanel.js';
import { SearchBox } from './panels/SearchBox.js';
import { SelectionCard } from './panels/DetailCard.js';
import { Ticker } from './panels/Ticker.js';
import { Freshness, useTicker } from './panels/Clock.js';
import type { RecentIncident } from './api/client.js';
import { AppLink } from './AppLink.js';
import { useCommandCenter } from './useCommandCenter.js';
import { lightTheme, type Theme } from './theme.js';
import { IncidentListPanel } from './incidents/IncidentListPanel.js';
import { IncidentDrawer } from './incidents/IncidentDrawer.js';
import { ReportForm } from './incidents/ReportForm.js';
import { useIncidentDesk } from './incidents/useIncidentDesk.js';
import { useIncidentT } from './incidents/strings.js';
import { SessionBadge } from './auth/LoginForm.js';
import { canEdit } from './auth/api.js';
import { useSession } from './auth/useSession.js';

export function App({ theme = lightTheme }: { theme?: Theme }) {
  const t = useT();
  const session = useSession();
  const [locale, setLocale] = useLocale();
  const cc = useCommandCenter({ theme, interactive: true });
  const { map, state, layers, kpis, selection, timezone } = cc;
  const data = map.data;
  const nowSec = useTicker(1000);
  const ti = useIncidentT();
  const desk = useIncidentDesk(cc, theme);
  const patrolEvents = usePatrolEvents(cc.api);
  const [sideTab, setSideTab] = useState<'layers' | 'incidents'>('layers');
  const above = useMemo(() => (desk.above.length ? [...layers.above, ...desk.above] : layers.above), [layers.above, desk.above]);
  const townships = useMemo(
    () => (data?.townships ?? []).map((f) => ({ code: f.properties.code, name: f.properties.name })).sort((a, b) => a.code.localeCompare(b.code)),
    [data?.townships],
  );

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  const n = (value: number) => value.toLocaleString(locale);

  const counts = useMemo(() => {
    if (!data || !map.loaded.grids || !map.loaded.regions) return null;
    return { grids: data.grids.length, townships: data.townships.length, villages: data.villages.length };
  }, [data, map.loaded.grids, map.loaded.regions]);

  const atlas = useMemo(() => cameraIconAtlas(theme), [theme]);
  const onTicker = useCallback(
    (it: RecentIncident) => {
      const d = 0.004;
      cc.fly([it.lon - d, it.lat - d, it.lon + d, it.lat + d], 15.5);
      cc.select({ kind: 'incident', id: it.id, lon: it.lon, lat: it.lat });
    },
    [cc.fly, cc.select], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const focus = useMemo(
    () => (selection && selection.kind !== 'grid' ? { lon: selection.lon, lat: selection.lat, kind: selection.kind } : null),
    [selection],
  );

  return (
    <div className="app app--operator">
      <header className="app-header">
        <div className="app-header__brand">
          <span className="app-header__emblem" aria-hidden />
          <div>
            <h1 className="app-header__title">{t('app.title')}</h1>
            <p className="app-header__subtitle">{t('app.subtitle')}</p>
          </div>
        </div>
        <SearchBox api={cc.api} onSelect={cc.onSearchResult} />
        {counts && (
          <ul className="app-header__stats" data-testid="stats">
            <li>{t('stats.townships', { count: n(counts.townships) })}</li>
            <li>{t('stats.villages', { count: n(counts.villages) })}</li>
            <li>{t('stats.grids', { count: n(counts.grids) })}</li>
          </ul>
        )}
        <AppLink to="/reports" testId="nav-reports">{t('nav.reports')}</AppLink>
        {canEdit(session.user) && <AppLink to="/edit" testId="nav-edit">{t('nav.edit')}</AppLink>}
        {session.user?.role === 'admin' && <AppLink to="/admin" testId="nav-admin">{t('nav.admin')}</AppLink>}
        <AppLink to="/screen" keepQuery title={t('nav.screenTitle')}>{t('nav.screen')}</AppLink>
        <button
          type="button"
          className="app-header__lang"
          title={t('lang.switchTitle')}
          onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t('lang.switch')}
        </button>
        <SessionBadge />
      </header>
      <div className="app-body">
        <aside className="app-side app-side--left">
          <div className="side-tabs" role="tablist">
            {(['layers', 'incidents'] as const).map((k) => (
              <button key={k} type="button" role="tab" className="side-tabs__tab" aria-selected={sideTab === k} onClick={() => setSideTab(k)} data-testid={`tab-${k}`}>
                {ti(k === 'layers' ? 'tabLayers' : 'tabIncidents')}
              </button>
            ))}
          </div>
          {sideTab === 'incidents' && (
            <IncidentListPanel
              api={desk.api}
              timezone={timezone}
              townships={townships}
              selectedId={selection?.kind === 'incident' ? selection.id : null}
              onSelect={desk.open}
              onNew={() => desk.setReporting(true)}
              changeSeq={desk.changeSeq}
            />
          )}
          {sideTab === 'layers' && <LayerPanel
            state={state}
            update={cc.update}
            legend={layers.legend}
            timezone={timezone}
            nowMs={cc.nowMs}
            onlineBasemap={Boolean(cc.config.data?.basemapStyleUrl)}
            atlas={atlas}
            exportBounds={cc.view?.bounds ?? null}
          />}
        </aside>
        <main className={`app-main${desk.picking ? ' app-main--picking' : ''}`}>
          {cc.config.data || cc.config.failures > 2 ? (
            <MapView
              data={data}
              basemap={map.basemap}
              theme={theme}
              crs={cc.crs}
              styleUrl={cc.styleUrl}
              initialView={{ center: state.center, zoom: state.zoom }}
              grids={layers.grids}
              below={layers.below}
              above={above}
              regions={state.layers.includes('regions')}
              gridLabels={state.layers.includes('grids') ? state.gridLabel : null}
              onViewChange={cc.onViewChange}
              onZoomStep={cc.onZoomStep}
              flyTo={cc.flyTo}
              focus={focus}
              groups={layers.groups}
              pending={layers.pending}
            >
              {cc.config.data?.demoData && (
                <div className="demo-note" data-testid="demo-note">{t('demo.note')}</div>
              )}
              {selection && selection.kind !== 'incident' && (
                <div className="map-card">
                  <SelectionCard api={cc.api} selection={selection} timezone={timezone} onClose={() => cc.select(null)} />
                </div>
              )}
            </MapView>
          ) : null}
          {desk.picking && <div className="map-pick-hint" role="status">{ti('pickingHint')}</div>}
          {desk.reporting ? (
            <ReportForm
              api={desk.api}
              timezone={timezone}
              picked={desk.picked}
              picking={desk.picking}
              onPicking={desk.setPicking}
              onCancel={() => desk.setReporting(false)}
              onReported={desk.onReported}
              onOpen={(h) => desk.api.client.incidentDetail(h.id).then(desk.open, () => undefined)}
            />
          ) : selection?.kind === 'incident' ? (
            <IncidentDrawer
              api={desk.api}
              id={selection.id}
              timezone={timezone}
              onClose={() => cc.select(null)}
              onFly={desk.flyTo}
              onChanged={desk.onChanged}
              changeSeq={desk.seqOf(selection.id)}
            />
          ) : null}
          {(cc.liveWanted || state.layers.includes('incidents')) && <LiveBridge onFeed={cc.setLive} />}
          {map.status === 'loading' && <div className="app-status">{t('app.loading')}</div>}
          {map.status === 'error' && (
            <div className="app-status app-status--error" role="alert">
              {t('app.loadError', { message: map.error.message })}
              <button type="button" onClick={map.reload}>
                {t('app.retry')}
              </button>
            </div>
          )}
        </main>
        <aside className="app-side app-side--right">
          <Freshness
            liveStatus={cc.liveWanted ? (cc.live?.status ?? 'connecting') : null}
            lastLiveAt={cc.live?.lastMessageAt ?? null}
            lastKpiAt={kpis.lastSuccessAt}
            failures={cc.failures}
            nowMs={nowSec}
          />
          <h2 className="panel-title">
            <span className="panel-title__mark" aria-hidden />
            {t('kpi.title')}
          </h2>
          <KpiPanel kpis={kpis.data} error={kpis.error} variant="operator" />
          <Ticker items={desk.ticker} timezone={timezone} onSelect={onTicker} activeId={selection?.kind === 'incident' ? selection.id : null} />
          <PatrolEvents items={patrolEvents.data} timezone={timezone} />
        </aside>
      </div>
    </div>
  );
}
