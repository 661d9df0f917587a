// Everything the command-center map shows beside the boundaries: fetches each layer's data for
// the current view and filters, and builds the deck.gl layers — each memoised on its own inputs, so
// that a live-positions tick (several a second) hands deck.gl a new workers layer and the very
// same instances of every other layer.
//
// What is fetched when:
// - grids: geometry once (useMapData); indicator values per indicator/window, every minute;
// - cameras: once (3,565 points, ~115 KB compressed), clustered in the client per zoom;
// - incidents: below INCIDENT_POINTS_MIN_ZOOM the server's heat bins (whole county up to z10, the
//   view's box from z11), from it on the points in the view's box; both every minute;
// - patrol tracks: never for the whole county. The selected grid's workers, a selected worker,
//   or — from TRACKS_MIN_ZOOM on — the workers whose live position is in view (up to 100, nearest
//   the centre first); refreshed every minute;
// - live positions: the socket (LiveBridge), snapshot then ticks.
import { useCallback, useMemo, useRef } from 'react';
import { useLatest } from '../useLatest.js';
import type { Layer } from '@deck.gl/core';
import type { ApiClient, CameraFeature, GridFeature, GridIndicator, Track } from '../api/client.js';
import { usePolling } from '../api/usePolling.js';
import type { LiveFeed } from '../live/useLivePositions.js';
import type { LiveWorkerTuple } from '../../server/schemas/live.js';
import type { MapUrlState } from '../state/urlState.js';
import { resolveWindow } from '../state/timeWindow.js';
import { localDayStart } from '../state/localTime.js';
import type { Theme } from '../theme.js';
import type { BBox, MapCrs } from './crs.js';
import { camerasLayer, prepareCameras, type CameraCluster, type CameraPoint } from './layers/camerasLayer.js';
import { incidentsLayer, INCIDENT_POINTS_MIN_ZOOM, prepareHeatBins, prepareIncidentPoints, type IncidentPoint } from './layers/incidentsLayer.js';
import { patrolsLayer, prepareTracks } from './layers/patrolsLayer.js';
import { workersLayer } from './layers/workersLayer.js';
import type { GridDrawOptions, ViewInfo } from './MapView.js';
import type { MapData } from './useMapData.js';

export const TRACKS_MIN_ZOOM = 14;
const MAX_TRACK_WORKERS = 100;
const REFRESH_MS = 60_000;

export type Selection =
  | { kind: 'grid'; id: number }
  | { kind: 'camera'; camera: CameraFeature['properties']; lon: number; lat: number }
  | { kind: 'incident'; id: number; lon: number; lat: number }
  | { kind: 'worker'; workerId: number; lon: number; lat: number }
  | null;

export interface CommandLayersInput {
  api: ApiClient;
  state: MapUrlState;
  view: ViewInfo | null;
  zoomStep: number;
  theme: Theme;
  crs: MapCrs;
  pixelScale: number;
  timezone: string;
  nowMs: number;
  mapData: MapData | null;
  live: LiveFeed | null;
  selection: Selection;
  /** Grid to highlight without a pointer (wall screen), by id. */
  highlightGridId?: number | null;
  /** Click handlers (operator view); omitted on the wall. */
  onSelect?: (s: Selection) => void;
  onClusterClick?: (cluster: CameraCluster) => void;
}

export interface LegendInfo {
  indicator: GridIndicator | null;
  heat: { total: number; maxCount: number } | null;
  points: { shown: number; matched: number; truncated: boolean } | null;
  pointsMode: boolean;
  tracks: number;
  workers: Record<'patrolling' | 'idle' | 'outside' | 'offline', number> | null;
  cameras: { total: number; offline: number } | null;
}

export interface CommandLayers {
  grids: GridDrawOptions | null;
  below: Layer[];
  above: Layer[];
  groups: string[];
  pending: string[];
  legend: LegendInfo;
  /** Fetch failures in a row, over every layer source (for the reconnecting indicator). */
  failures: number;
}

/**
 * A box padded by half its size on every side and widened to multiples of `step`, so that small
 * pans inside it reuse the same query (and the server's answer).
 */
export function queryBox([minX, minY, maxX, maxY]: BBox, step = 0.01): BBox {
  const dx = (maxX - minX) / 2;
  const dy = (maxY - minY) / 2;
  const down = (v: number) => +(Math.floor(v / step) * step).toFixed(6);
  const up = (v: number) => +(Math.ceil(v / step) * step).toFixed(6);
  return [down(minX - dx), down(minY - dy), up(maxX + dx), up(maxY + dy)];
}

export function useCommandLayers(input: CommandLayersInput): CommandLayers {
  const { api, state, view, zoomStep, theme, crs, pixelScale, timezone, nowMs, mapData, live, selection, onSelect, onClusterClick } = input;
  const on = (k: MapUrlState['layers'][number]) => state.layers.includes(k);
  // Once a layer was shown its data stays loaded: toggling it back is instant.
  const everOn = useRef(new Set<string>());
  for (const k of state.layers) everOn.current.add(k);
  const loaded = (k: string) => everOn.current.has(k);

  const win = resolveWindow(state, nowMs);
  const filters = { categories: state.categories, sources: state.sources, statuses: state.statuses };
  const filterKey = JSON.stringify([filters, win]);

  // --- grids: indicator values
  const indicatorKey = loaded('grids')
    ? `ind:${state.indicator}:${state.indicator === 'incidents' ? `${win.from}/${win.to}` : ''}`
    : null;
  const indicator = usePolling(
    indicatorKey,
    (signal) => api.gridIndicator(state.indicator, state.indicator === 'incidents' ? win : {}, signal),
    { intervalMs: REFRESH_MS },
  );

  // --- cameras
  const cameras = usePolling(loaded('cameras') ? 'cameras' : null, (signal) => api.cameras(signal));
  const cameraPoints = useMemo<CameraPoint[]>(
    () => (cameras.data ? prepareCameras(cameras.data.features, crs) : []),
    [cameras.data, crs],
  );

  // --- incidents: heat bins or points
  const pointsMode = zoomStep >= INCIDENT_POINTS_MIN_ZOOM;
  const heatZoom = Math.max(7, Math.min(12, Math.floor(zoomStep)));
  const heatBox = view && heatZoom >= 11 ? queryBox(view.bounds, 0.02) : null;
  const lastHeatKey = useRef<string | null>(null);
  if (loaded('incidents') && !pointsMode) lastHeatKey.current = `heat:${heatZoom}:${heatBox?.join(',') ?? ''}:${filterKey}`;
  const heatArgs = useRef({ heatZoom, heatBox, filters, win });
  if (!pointsMode) heatArgs.current = { heatZoom, heatBox, filters, win };
  const heat = usePolling(
    loaded('incidents') ? lastHeatKey.current : null,
    (signal) => {
      const a = heatArgs.current;
      return api.heatmap(a.heatZoom, { ...a.filters, ...a.win, bbox: a.heatBox ?? undefined }, signal);
    },
    { intervalMs: REFRESH_MS },
  );
  const pointsBox = view && pointsMode ? queryBox(view.bounds, 0.005) : null;
  const points = usePolling(
    loaded('incidents') && pointsMode && pointsBox ? `pts:${pointsBox.join(',')}:${filterKey}` : null,
    (signal) => api.incidents({ ...filters, ...win, bbox: pointsBox ?? undefined, limit: 5000 }, signal),
    { intervalMs: REFRESH_MS },
  );
  const heatBins = useMemo(() => (heat.data ? prepareHeatBins(heat.data, crs) : []), [heat.data, crs]);
  const incidentPoints = useMemo<IncidentPoint[]>(
    () => (points.data ? prepareIncidentPoints(points.data.features, crs) : []),
    [points.data, crs],
  );

  // --- patrol tracks
  const hasLive = Boolean(live && live.store.workers.length);
  const liveRef = useLatest(live);
  const trackWorkers = useMemo<number[]>(() => {
    if (!view || view.zoom < TRACKS_MIN_ZOOM || !liveRef.current) return [];
    const [minX, minY, maxX, maxY] = view.bounds;
    const [cx, cy] = view.center;
    return liveRef.current.store.workers
      .filter((t) => t[1] >= minX && t[1] <= maxX && t[2] >= minY && t[2] <= maxY)
      .sort((a, b) => (a[1] - cx) ** 2 + (a[2] - cy) ** 2 - ((b[1] - cx) ** 2 + (b[2] - cy) ** 2))
      .slice(0, MAX_TRACK_WORKERS)
      .map((t) => t[0])
      .sort((a, b) => a - b);
    // Recomputed when the view changes or live data first arrives, not on every tick.
  }, [view, hasLive]);
  const dayStart = localDayStart(nowMs, timezone);
  const tracksFrom = new Date(dayStart).toISOString();
  const tracksTo = new Date(Math.max(nowMs, dayStart + 60_000) + 60_000).toISOString();
  let tracksQuery: { workers?: number[]; grid?: number } | null = null;
  if (selection?.kind === 'grid') tracksQuery = { grid: selection.id };
  else if (selection?.kind === 'worker') tracksQuery = { workers: [selection.workerId] };
  else if (trackWorkers.length) tracksQuery = { workers: trackWorkers };
  const trackZoom = Math.max(12, Math.round(zoomStep));
  const tracks = usePolling<Track[]>(
    loaded('patrols') && tracksQuery ? `tracks:${JSON.stringify(tracksQuery)}:${tracksFrom}:${trackZoom}` : null,
    (signal) => api.tracks({ ...tracksQuery!, from: tracksFrom, to: tracksTo, zoom: trackZoom }, signal),
    { intervalMs: REFRESH_MS, keepPrevious: false },
  );
  const trackData = useMemo(() => prepareTracks(tracks.data ?? [], crs, theme), [tracks.data, crs, theme]);

  // --- callbacks (stable: layers must not change because a handler did)
  const selectRef = useLatest(onSelect);
  const clusterRef = useLatest(onClusterClick);
  const interactive = Boolean(onSelect);
  const onGridClick = useCallback((g: GridFeature) => selectRef.current?.({ kind: 'grid', id: g.properties.id }), []);
  const onCameraClick = useCallback((c: CameraFeature['properties']) => {
    const p = cameras.data?.features.find((f) => f.properties.id === c.id);
    const [lon, lat] = p ? p.geometry.coordinates : [0, 0];
    selectRef.current?.({ kind: 'camera', camera: c, lon, lat });
  }, [cameras.data]);
  const onClusterClickStable = useCallback((c: CameraCluster) => clusterRef.current?.(c), []);
  const onIncidentClick = useCallback((p: IncidentPoint) => {
    const [lon, lat] = crs.fromMap(p.position[0], p.position[1]);
    selectRef.current?.({ kind: 'incident', id: p.props.id, lon, lat });
  }, [crs]);
  const onWorkerClick = useCallback((t: LiveWorkerTuple) => selectRef.current?.({ kind: 'worker', workerId: t[0], lon: t[1], lat: t[2] }), []);

  // --- layers, each memoised on its own inputs
  const highlightIndex = useMemo(() => {
    const id = input.highlightGridId ?? (selection?.kind === 'grid' ? selection.id : null);
    if (id === null || id === undefined || !mapData) return -1;
    return mapData.grids.findIndex((g) => g.properties.id === id);
  }, [input.highlightGridId, selection, mapData]);

  const gridDraw = useMemo<GridDrawOptions | null>(() => {
    if (!loaded('grids')) return null;
    return {
      visible: on('grids'),
      indicator: indicator.data,
      underHeatmap: on('incidents') && !pointsMode,
      highlightIndex,
      onClick: interactive ? onGridClick : undefined,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.layers, indicator.data, pointsMode, highlightIndex, interactive, onGridClick]);

  const incidentLayers = useMemo<Layer[]>(() => {
    if (!loaded('incidents')) return [];
    return incidentsLayer(heatBins, incidentPoints, {
      theme, visible: on('incidents'), points: pointsMode, pixelScale, onClick: interactive ? onIncidentClick : undefined,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [heatBins, incidentPoints, theme, state.layers, pointsMode, pixelScale, interactive, onIncidentClick]);

  const cameraZoom = zoomStep;
  const cameraLayers = useMemo<Layer[]>(() => {
    if (!loaded('cameras')) return [];
    return camerasLayer(cameraPoints, {
      theme, visible: on('cameras'), zoom: cameraZoom, pixelScale,
      onCameraClick: interactive ? onCameraClick : undefined,
      onClusterClick: interactive ? onClusterClickStable : undefined,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cameraPoints, theme, state.layers, cameraZoom, pixelScale, interactive, onCameraClick, onClusterClickStable]);

  const trackLayers = useMemo<Layer[]>(() => {
    if (!loaded('patrols')) return [];
    return patrolsLayer(trackData, { theme, visible: on('patrols'), pixelScale });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trackData, theme, state.layers, pixelScale]);

  const workerData = live?.store.workers;
  const workerZoom = zoomStep >= 14 ? 14 : zoomStep >= 12 ? 12 : 0;
  const workerLayer = useMemo<Layer | null>(() => {
    if (!loaded('patrols') || !workerData) return null;
    return workersLayer(workerData, {
      theme, crs, visible: on('patrols'), pixelScale, zoom: workerZoom, onClick: interactive ? onWorkerClick : undefined,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workerData, theme, crs, state.layers, pixelScale, workerZoom, interactive, onWorkerClick]);

  const below = useMemo(() => (incidentLayers.length ? [incidentLayers[0]] : NONE), [incidentLayers]);
  const above = useMemo<Layer[]>(
    () => [...trackLayers, ...cameraLayers, ...incidentLayers.slice(1), ...(workerLayer ? [workerLayer] : [])],
    [trackLayers, cameraLayers, incidentLayers, workerLayer],
  );

  // --- readiness and legend
  const groups = state.layers.filter((k) => k !== 'regions' || mapData !== null);
  const pending: string[] = [];
  if (on('grids') && (!mapData || indicator.dataKey !== indicatorKey)) pending.push('grids');
  if (on('regions') && !mapData) pending.push('regions');
  if (on('cameras') && !cameras.data) pending.push('cameras');
  if (on('incidents') && (pointsMode ? !points.data : heat.dataKey !== lastHeatKey.current)) pending.push('incidents');
  // Live data is in once the socket's first snapshot has been applied (the store knows its `at`).
  if (on('patrols') && (!live || live.store.since === undefined)) pending.push('patrols');

  const cameraCounts = useMemo(
    () =>
      cameras.data
        ? { total: cameras.data.features.length, offline: cameras.data.features.filter((f) => f.properties.status === 'offline').length }
        : null,
    [cameras.data],
  );
  const workersByState = useMemo(() => (live ? live.store.countByState() : null), [live, workerData]); // eslint-disable-line react-hooks/exhaustive-deps
  const legend: LegendInfo = {
    indicator: indicator.data,
    heat: heat.data ? { total: heat.data.total, maxCount: heat.data.maxCount } : null,
    points: points.data ? { shown: points.data.features.length, matched: points.data.numberMatched, truncated: points.data.truncated } : null,
    pointsMode,
    tracks: trackData.paths.length,
    workers: workersByState,
    cameras: cameraCounts,
  };
  const failures = Math.max(indicator.failures, cameras.failures, heat.failures, points.failures, tracks.failures);
  return { grids: gridDraw, below, above, groups, pending, legend, failures };
}

const NONE: Layer[] = [];
