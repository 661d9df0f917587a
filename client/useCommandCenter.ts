// What both views of the command center share: the URL state, the client config (time zone, base
// map), the map geometry, the live feed, the data layers, the KPI figures and the ticker, the
// selection and camera moves — and the test hook's handles on them. The views only lay it out.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api as defaultApi, type ApiClient, type ClientConfig, type Kpis, type RecentIncident, type SearchResult } from './api/client.js';
import { usePolling, type Polled } from './api/usePolling.js';
import type { LiveFeed } from './live/useLivePositions.js';
import type { LiveWorkerTuple } from '../server/schemas/live.js';
import { mapCrsFor, type BBox, type MapCrs } from './map/crs.js';
import type { FlyRequest, ViewInfo } from './map/MapView.js';
import { useCommandLayers, type CommandLayers, type Selection } from './map/useCommandLayers.js';
import { useMapData } from './map/useMapData.js';
import type { CameraCluster } from './map/layers/camerasLayer.js';
import { useKpis } from './panels/KpiPanel.js';
import { useRecentIncidents } from './panels/Ticker.js';
import { useNow } from './state/timeWindow.js';
import { useUrlState, type MapUrlState, type UrlStateUpdate } from './state/urlState.js';
import type { Theme } from './theme.js';
import { testHook } from './testHook.js';

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export interface CommandCenter {
  api: ApiClient;
  state: MapUrlState;
  update: (u: UrlStateUpdate) => void;
  config: Polled<ClientConfig>;
  timezone: string;
  crs: MapCrs;
  styleUrl: string | null;
  map: ReturnType<typeof useMapData>;
  view: ViewInfo | null;
  zoomStep: number;
  onViewChange: (v: ViewInfo & { auto?: boolean }) => void;
  onZoomStep: (z: number) => void;
  layers: CommandLayers;
  live: LiveFeed | null;
  /** Pass to <LiveBridge> when `liveWanted`. */
  setLive: (feed: LiveFeed | null) => void;
  liveWanted: boolean;
  kpis: Polled<Kpis>;
  recent: Polled<RecentIncident[]>;
  selection: Selection;
  select: (s: Selection) => void;
  flyTo: FlyRequest | null;
  fly: (bbox: BBox, maxZoom?: number) => void;
  onSearchResult: (r: SearchResult) => void;
  nowMs: number;
  /** Worst run of failed fetches, for the reconnecting indicator. */
  failures: number;
}

export function useCommandCenter(options: {
  theme: Theme;
  pixelScale?: number;
  interactive: boolean;
  highlightGridId?: number | null;
  api?: ApiClient;
}): CommandCenter {
  const { theme, pixelScale = 1, interactive, api = defaultApi } = options;
  const [state, update] = useUrlState();
  const config = usePolling('config', (signal) => api.config(signal));
  const timezone = config.data?.timezone ?? DEFAULT_TIMEZONE;
  const online = Boolean(config.data?.basemapStyleUrl) && state.basemap === 'online';
  const styleUrl = online ? config.data!.basemapStyleUrl : null;
  const crs = useMemo(() => mapCrsFor(config.data?.basemapCrs, online), [config.data?.basemapCrs, online]);
  const on = (k: MapUrlState['layers'][number]) => state.layers.includes(k);
  const map = useMapData(api, { regions: on('regions'), grids: on('grids') });

  const [view, setView] = useState<ViewInfo | null>(null);
  const [zoomStep, setZoomStep] = useState(state.zoom ?? 9);
  const [selection, setSelection] = useState<Selection>(null);
  const [flyTo, setFlyTo] = useState<FlyRequest | null>(null);
  const [live, setLive] = useState<LiveFeed | null>(null);
  const [, setInjected] = useState(0);
  const nowMs = useNow(60_000);

  const onViewChange = useCallback(
    (v: ViewInfo & { auto?: boolean }) => {
      setView(v);
      if (!v.auto) update({ center: v.center, zoom: +v.zoom.toFixed(2) });
    },
    [update],
  );
  const onZoomStep = useCallback((z: number) => setZoomStep(z), []);
  const fly = useCallback((bbox: BBox, maxZoom?: number) => setFlyTo((f) => ({ bbox, maxZoom, seq: (f?.seq ?? 0) + 1 })), []);
  const select = useCallback((s: Selection) => setSelection(s), []);
  const onClusterClick = useCallback((c: CameraCluster) => {
    const [minX, minY, maxX, maxY] = c.bbox;
    const [a, b] = crs.fromMap(minX, minY);
    const [cc, d] = crs.fromMap(maxX, maxY);
    fly([a, b, cc, d], 16);
  }, [crs, fly]);
  const onSearchResult = useCallback(
    (r: SearchResult) => {
      fly(r.bbox as BBox, r.kind === 'grid' ? 16 : r.kind === 'village' ? 14.5 : 13);
      if (r.kind === 'grid') setSelection({ kind: 'grid', id: r.id });
    },
    [fly],
  );

  const layers = useCommandLayers({
    api,
    state,
    view,
    zoomStep,
    theme,
    crs,
    pixelScale,
    timezone,
    nowMs,
    mapData: map.data,
    live,
    selection,
    highlightGridId: options.highlightGridId,
    onSelect: interactive ? select : undefined,
    onClusterClick: interactive ? onClusterClick : undefined,
  });

  const kpis = useKpis(api);
  const recent = useRecentIncidents(api);

  // Map geometry still loading counts as pending for the grid and boundary groups.
  const pending = useMemo(() => {
    const p = new Set(layers.pending);
    if (on('grids') && !map.loaded.grids) p.add('grids');
    if (on('regions') && !map.loaded.regions) p.add('regions');
    return [...p];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layers.pending.join(','), map.loaded.grids, map.loaded.regions, state.layers]);
  const layersOut = useMemo(() => ({ ...layers, pending }), [layers, pending]);

  // Test hook handles.
  useEffect(() => {
    testHook._groups = { enabled: [...layers.groups], pending: [...pending] };
  }, [layers.groups, pending]);
  useEffect(() => {
    if (!live) {
      testHook._injectPositions = null;
      testHook._workers = null;
      return;
    }
    testHook._workers = () => live.store.workers.map((t) => [...t] as LiveWorkerTuple);
    testHook._injectPositions = (tuples) => {
      live.store.applyPositions({ at: new Date().toISOString(), workers: tuples });
      setInjected((n) => n + 1);
    };
    return () => {
      testHook._injectPositions = null;
      testHook._workers = null;
    };
  }, [live]);
  // refreshKpis(): fetch now, resolve once the new figures are on screen (effects run after commit).
  const kpiWaiters = useRef<Array<(asOf: string | null) => void>>([]);
  const kpiRefresh = kpis.refresh;
  useEffect(() => {
    testHook._refreshKpis = () =>
      new Promise((resolve) => {
        kpiWaiters.current.push(resolve);
        kpiRefresh();
      });
    return () => {
      testHook._refreshKpis = null;
    };
  }, [kpiRefresh]);
  const kpiAsOf = kpis.data?.asOf ?? null;
  useEffect(() => {
    const waiting = kpiWaiters.current;
    kpiWaiters.current = [];
    for (const resolve of waiting) resolve(kpiAsOf);
  }, [kpis.lastSuccessAt, kpiAsOf]);

  const failures = Math.max(layers.failures, map.failures, kpis.failures, recent.failures, config.failures);

  return {
    api,
    state,
    update,
    config,
    timezone,
    crs,
    styleUrl,
    map,
    view,
    zoomStep,
    onViewChange,
    onZoomStep,
    layers: layersOut,
    live,
    setLive,
    liveWanted: on('patrols'),
    kpis,
    recent,
    selection,
    select,
    flyTo,
    fly,
    onSearchResult,
    nowMs,
    failures,
  };
}
