// The map host: MapLibre with the offline basemap (basemapStyle.ts) or an online style, and the
// deck.gl overlay in overlaid mode (interleaved: true throws every frame with MapLibre 6).
//
// It draws the administrative boundaries and the place names itself (they need the map's
// projection for the label declutter) and places the data layers its parent builds (`below` the
// boundaries: grid fills and heat; `above`: tracks, cameras, incidents, workers). It reports the
// view (WGS84, whatever the map's CRS) and keeps the test hook (testHook.ts) up to date.
import { useLatest } from '../useLatest.js';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// After a Vite build MapLibre cannot find its worker next to itself: point it at the bundled file.
import { withBearer } from '../auth/token.js';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { pointOnFeature } from '@turf/turf';
import type { Feature } from 'geojson';
import type { BasemapFeature, GridFeature, GridIndicator, GridProperties, RegionFeature } from '../api/client.js';
import type { Theme } from '../theme.js';
import { testHook } from '../testHook.js';
import { BASEMAP_SOURCES, basemapStyle, featureCollection } from './basemapStyle.js';
import { bboxFromMap, bboxToMap, featuresToMap, WGS84_CRS, type BBox, type MapCrs } from './crs.js';
import { GRID_LABEL_MIN_ZOOM, GRID_LABEL_SIZE, gridLabelsLayer, gridLabelText, gridsLayer, GRIDS_LAYER_ID, type GridLabel } from './layers/gridsLayer.js';
import {
  REGION_LAYER_IDS,
  regionLabelText,
  regionsLayer,
  TOWNSHIP_LABEL_SIZE,
  VILLAGE_LABEL_MIN_ZOOM,
  VILLAGE_LABEL_SIZE,
} from './layers/regionsLayer.js';
import { declutter, sameItems } from './labelDeclutter.js';
import { GridTooltip } from './GridTooltip.js';
import type { MapData } from './useMapData.js';

maplibregl.setWorkerUrl(workerUrl);

/** Seat of Donghai County (牛山街道), until the county outline has arrived. */
const INITIAL_CENTER: [number, number] = [118.765, 34.54];
const INITIAL_ZOOM = 9.2;
const FIT_PADDING = 28;

export type LngLatBBox = [number, number, number, number];

/** Bounding box of polygon features (any nesting of coordinate arrays). */
export function featuresBBox(features: readonly Feature[]): LngLatBBox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      return;
    }
    for (const child of c) visit(child);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}

function grow([minX, minY, maxX, maxY]: LngLatBBox, factor: number): LngLatBBox {
  const dx = (maxX - minX) * factor;
  const dy = (maxY - minY) * factor;
  return [minX - dx, minY - dy, maxX + dx, maxY + dy];
}

const byAreaDesc = (a: RegionFeature, b: RegionFeature) => b.properties.areaKm2 - a.properties.areaKm2;
const regionLabelPoint = (f: RegionFeature) => f.properties.label;

function layerLoaded(l: Layer): boolean {
  try {
    return l.isLoaded;
  } catch {
    return false; // not initialised by deck.gl yet
  }
}

/** A point inside each grid for its label (map coordinates), computed once per grid array. */
const gridLabelPoints = new WeakMap<readonly GridFeature[], Array<[number, number]>>();
function labelPointsOf(grids: readonly GridFeature[]): Array<[number, number]> {
  let pts = gridLabelPoints.get(grids);
  if (!pts) {
    pts = grids.map((g) => pointOnFeature(g).geometry.coordinates as [number, number]);
    gridLabelPoints.set(grids, pts);
  }
  return pts;
}

interface LabelSets {
  townships: RegionFeature[];
  villages: RegionFeature[];
  grids: GridLabel[];
}
const NO_LABELS: LabelSets = { townships: [], villages: [], grids: [] };
const NO_LAYERS: Layer[] = [];

interface HoverState {
  grid: GridProperties;
  x: number;
  y: number;
}

export interface GridDrawOptions {
  visible?: boolean;
  indicator?: GridIndicator | null;
  underHeatmap?: boolean;
  /** Index in `data.grids` to highlight without a pointer, -1 none. */
  highlightIndex?: number;
  onClick?: (grid: GridFeature) => void;
}

/** The view as the rest of the app sees it: WGS84, whatever the map draws in. */
export interface ViewInfo {
  zoom: number;
  center: [number, number];
  /** Visible box, WGS84. */
  bounds: BBox;
}

export interface FlyRequest {
  /** WGS84 box to show. */
  bbox: BBox;
  /** Bump to fly again to the same box. */
  seq: number;
  maxZoom?: number;
}

export interface MapViewProps {
  data: MapData | null;
  /** Roads and water (optional, may arrive after `data`). */
  basemap?: readonly BasemapFeature[] | null;
  theme: Theme;
  /** Coordinate system the map draws in (GCJ-02 for a GCJ-02 online base map). */
  crs?: MapCrs;
  /** An online MapLibre style instead of the offline base map. */
  styleUrl?: string | null;
  /** Start here instead of fitting the county (WGS84). */
  initialView?: { center: [number, number] | null; zoom: number | null } | null;
  /**
   * How the grids of `data.grids` are drawn (default: by urban / rural kind); null: not at all.
   * Keep the object's identity stable between renders (memoise it): it is a layer input.
   */
  grids?: GridDrawOptions | null;
  /** Data layers under the boundaries, over the grid fills (the incident heatmap). */
  below?: Layer[];
  /** Data layers over the boundaries (tracks, cameras, incidents, workers). */
  above?: Layer[];
  /** Township and village boundaries and names. */
  regions?: boolean;
  /** Grid labels (name or code) from GRID_LABEL_MIN_ZOOM on; null: none. */
  gridLabels?: 'name' | 'code' | null;
  /** Hover card of the grid under the pointer (operator view). */
  gridTooltip?: boolean;
  /** Multiplies pixel sizes on big walls. */
  pixelScale?: number;
  /** Zoom / scale controls (the wall has no mouse). */
  controls?: boolean;
  fitPadding?: number | { top: number; bottom: number; left: number; right: number };
  /** `auto`: the map moved by itself (first fit), not a view the user chose. */
  onViewChange?: (view: ViewInfo & { auto?: boolean }) => void;
  /** Zoom in half steps, reported while zooming (for zoom-dependent layers). */
  onZoomStep?: (zoomStep: number) => void;
  onGridHover?: (grid: GridFeature | null) => void;
  flyTo?: FlyRequest | null;
  /** A pulsing marker (WGS84): the selected or cycled item. */
  focus?: { lon: number; lat: number; kind?: string } | null;
  /** Layer groups enabled, and those whose data has not arrived yet (readiness for the test hook). */
  groups?: readonly string[];
  pending?: readonly string[];
  /** Short attribution (data sources), in MapLibre's attribution control unless `attributionControl` is false. */
  attribution?: string;
  attributionControl?: boolean;
  children?: ReactNode;
}

export const DEFAULT_ATTRIBUTION = '区划代码：国家统计局 2023 · 县界：高德地图（示意）';

export function MapView({
  data,
  basemap = null,
  theme,
  crs = WGS84_CRS,
  styleUrl = null,
  initialView = null,
  grids,
  below = NO_LAYERS,
  above = NO_LAYERS,
  regions = true,
  gridLabels = null,
  gridTooltip = true,
  pixelScale = 1,
  controls = true,
  fitPadding = FIT_PADDING,
  onViewChange,
  onZoomStep,
  onGridHover,
  flyTo = null,
  focus = null,
  groups = [],
  pending = [],
  attribution = DEFAULT_ATTRIBUTION,
  attributionControl = true,
  children,
}: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const themeRef = useRef(theme);
  const styleUrlRef = useRef(styleUrl);
  const crsRef = useLatest(crs);
  const dataRef = useLatest(data);
  const basemapRef = useLatest(basemap);
  const regionsRef = useLatest(regions);
  const gridLabelsRef = useLatest(gridLabels);
  const pixelScaleRef = useLatest(pixelScale);
  const pendingRef = useLatest(pending);
  const groupsRef = useLatest(groups);
  const callbacks = useLatest({ onViewChange, onZoomStep, onGridHover });
  const fittedRef = useRef(Boolean(initialView?.center && initialView.zoom !== null));
  const initialViewRef = useRef(initialView);
  const fitPaddingRef = useLatest(fitPadding);
  const [styleEpoch, setStyleEpoch] = useState(0);
  const [labels, setLabels] = useState<LabelSets>(NO_LABELS);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [hover, setHover] = useState<HoverState | null>(null);
  // Zoom in half steps: enough for zoom-dependent styling without re-rendering every frame.
  const [zoomStep, setZoomStep] = useState(initialView?.zoom ?? INITIAL_ZOOM);
  const [size, setSize] = useState({ width: 0, height: 0 });

  // Boundaries and labels in map coordinates (the same arrays for WGS84).
  const mapData = useMemo(() => {
    if (!data) return null;
    return {
      townships: featuresToMap(data.townships, crs),
      villages: featuresToMap(data.villages, crs),
      grids: featuresToMap(data.grids, crs),
    };
  }, [data, crs]);
  const mapDataRef = useLatest(mapData);

  // Names that fit at the current zoom, biggest areas first; villages and grids only when zoomed in.
  const placeLabels = useCallback(() => {
    const map = mapRef.current;
    const d = mapDataRef.current;
    if (!map || !d) return;
    const zoom = map.getZoom();
    const k = pixelScaleRef.current;
    const showRegions = regionsRef.current;
    const townships = showRegions ? [...d.townships].sort(byAreaDesc) : [];
    const villages = showRegions && zoom >= VILLAGE_LABEL_MIN_ZOOM ? [...d.villages].sort(byAreaDesc) : [];
    const mode = gridLabelsRef.current;
    let gridItems: GridLabel[] = [];
    if (mode && zoom >= GRID_LABEL_MIN_ZOOM && d.grids.length) {
      const b = map.getBounds();
      const pts = labelPointsOf(d.grids);
      gridItems = [];
      d.grids.forEach((g, i) => {
        const p = pts[i];
        if (b.contains(p)) gridItems.push({ grid: g, position: p, text: gridLabelText(g, mode) });
      });
    }
    const [t, v, gl] = declutter<unknown>(
      [
        { items: townships, fontSize: TOWNSHIP_LABEL_SIZE * k, text: (f) => regionLabelText(f as RegionFeature), position: (f) => regionLabelPoint(f as RegionFeature) },
        { items: villages, fontSize: VILLAGE_LABEL_SIZE * k, text: (f) => regionLabelText(f as RegionFeature), position: (f) => regionLabelPoint(f as RegionFeature) },
        { items: gridItems, fontSize: GRID_LABEL_SIZE * k, text: (l) => (l as GridLabel).text, position: (l) => (l as GridLabel).position },
      ],
      (lonLat) => map.project(lonLat),
    ) as [RegionFeature[], RegionFeature[], GridLabel[]];
    setLabels((prev) => {
      const sameGrids = prev.grids.length === gl.length && prev.grids.every((x, i) => x.grid === gl[i].grid && x.text === gl[i].text);
      if (sameItems(prev.townships, t) && sameItems(prev.villages, v) && sameGrids) return prev;
      return {
        townships: sameItems(prev.townships, t) ? prev.townships : t,
        villages: sameItems(prev.villages, v) ? prev.villages : v,
        grids: sameGrids ? prev.grids : gl,
      };
    });
  }, []);

  // Moves the map makes by itself (the first fit to the county) are reported with `auto`: they are
  // not the user's view and do not go into the URL.
  const autoMoveRef = useRef(false);
  const userMovedRef = useRef(Boolean(initialView?.center && initialView.zoom !== null));
  const reportView = useCallback((auto = autoMoveRef.current) => {
    const map = mapRef.current;
    if (!map) return;
    const c = crsRef.current;
    const center = map.getCenter();
    const b = map.getBounds();
    callbacks.current.onViewChange?.({
      zoom: map.getZoom(),
      center: c.fromMap(center.lng, center.lat),
      bounds: bboxFromMap([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], c),
      auto,
    });
  }, []);

  // Readiness for the test hook, checked after every deck.gl frame; per-group draw times too.
  const checkReady = useCallback((frameDrawn: boolean) => {
    const map = mapRef.current;
    if (!map) return;
    const now = performance.now();
    const pendingNow = pendingRef.current;
    // A group counts as drawn at the first deck.gl frame after its data reached its layers.
    if (frameDrawn && testHook._generation > 0) {
      for (const g of groupsRef.current) {
        if (!pendingNow.includes(g) && testHook.timings[g] === undefined) testHook.timings[g] = now;
      }
    }
    if (testHook.isReady) return;
    if (pendingNow.length) return;
    const layers = testHook._layers;
    const count = (id: string) => {
      const data = layers.find((l) => l.id === id)?.props.data;
      return Array.isArray(data) ? data.length : 0;
    };
    const d = dataRef.current;
    if (regionsRef.current && (!d || (d.townships.length > 0 && count(REGION_LAYER_IDS.townshipLabels) === 0))) return;
    if (!layers.every((l) => l.props.visible === false || layerLoaded(l))) return;
    const done = () => {
      if (testHook.timings.ready === undefined) testHook.timings.ready = performance.now();
      testHook._markReady();
    };
    if (map.loaded()) done();
    else map.once('idle', done);
  }, []);

  // The map and the overlay: created once.
  useEffect(() => {
    const container = containerRef.current!;
    const iv = initialViewRef.current;
    const c = crsRef.current;
    const center = iv?.center ? c.toMap(iv.center[0], iv.center[1]) : INITIAL_CENTER;
    const map = new maplibregl.Map({
      container,
      style: styleUrlRef.current ?? basemapStyle(themeRef.current),
      center,
      zoom: iv?.zoom ?? INITIAL_ZOOM,
      minZoom: 7,
      maxZoom: 17.5,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: attributionControl ? { compact: true, customAttribution: attribution } : false,
      // the wall screen's token for requests to this server (never to a third-party base map)
      transformRequest: (url) => withBearer(url),
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    if (controls) {
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    }
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onAfterRender: () => {
        testHook._frameDrawn();
        checkReady(true);
      },
    });
    map.addControl(overlay);

    map.on('style.load', () => setStyleEpoch((n) => n + 1));
    map.on('moveend', () => {
      placeLabels();
      if (!autoMoveRef.current) userMovedRef.current = true;
      reportView();
    });
    map.on('dragstart', () => {
      autoMoveRef.current = false;
    });
    map.on('zoom', () => {
      const z = Math.round(map.getZoom() * 2) / 2;
      setZoomStep(z);
    });
    map.on('movestart', () => setHover(null));
    const measure = () => setSize({ width: container.clientWidth, height: container.clientHeight });
    map.on('resize', measure);
    measure();

    mapRef.current = map;
    overlayRef.current = overlay;
    testHook.map = map;
    testHook.deck = overlay;
    testHook._setHiddenImpl = (ids) => setHidden(new Set(ids));
    if (testHook.timings.mapCreated === undefined) testHook.timings.mapCreated = performance.now();
    map.once('idle', () => {
      if (testHook.timings.mapIdle === undefined) testHook.timings.mapIdle = performance.now();
    });
    reportView(true);
    return () => {
      testHook._setHiddenImpl = null;
      testHook.deck = null;
      testHook.map = null;
      mapRef.current = null;
      overlayRef.current = null;
      map.remove(); // removes the overlay control too (finalizes its Deck)
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checkReady, placeLabels, reportView]);

  useEffect(() => {
    callbacks.current.onZoomStep?.(zoomStep);
  }, [zoomStep]);

  // Online style or the offline one.
  useEffect(() => {
    if (styleUrlRef.current === styleUrl) return;
    styleUrlRef.current = styleUrl;
    const map = mapRef.current;
    const d = dataRef.current;
    map?.setStyle(styleUrl ?? basemapStyle(themeRef.current, { county: d?.county, basemap: basemapRef.current ?? undefined }));
  }, [styleUrl]);

  // Basemap sources (after every style load), and the first fit to the county.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleEpoch || !data) return;
    map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.county)?.setData(featureCollection(data.county));
    const bboxWgs = featuresBBox(data.county.length ? data.county : data.grids);
    const bbox = bboxWgs ? bboxToMap(bboxWgs, crs) : null;
    if (bbox) {
      autoMoveRef.current = true;
      if (!fittedRef.current) {
        fittedRef.current = true;
        map.fitBounds(bbox, { padding: fitPaddingRef.current, animate: false });
      }
      map.setMaxBounds(grow(bbox, 0.75));
      autoMoveRef.current = false;
    }
    placeLabels();
    reportView(!userMovedRef.current);
  }, [data, styleEpoch, crs, placeLabels, reportView]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleEpoch || !basemap) return;
    map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.basemap)?.setData(featureCollection(basemap));
  }, [basemap, styleEpoch]);

  // Label options changed: place again.
  useEffect(() => {
    placeLabels();
  }, [regions, gridLabels, pixelScale, mapData, placeLabels]);

  // Theme change: same sources, other paint (style diff).
  useEffect(() => {
    if (themeRef.current === theme) return;
    themeRef.current = theme;
    if (styleUrlRef.current) return;
    const map = mapRef.current;
    const d = dataRef.current;
    const b = basemapRef.current ?? undefined;
    map?.setStyle(basemapStyle(theme, { county: d?.county, basemap: b }), { diff: true });
  }, [theme]);

  // Camera moves asked by the parent (search result, cluster click, selected grid).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !flyTo) return;
    const [minX, minY, maxX, maxY] = bboxToMap(flyTo.bbox, crsRef.current);
    map.fitBounds([minX, minY, maxX, maxY], { padding: 60, maxZoom: flyTo.maxZoom ?? 15.5, duration: 900 });
  }, [flyTo]);

  // The pulsing focus marker (a DOM marker: its CSS animation costs no WebGL frames).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !focus) return;
    const el = document.createElement('div');
    el.className = `map-focus map-focus--${focus.kind ?? 'item'}`;
    el.dataset.testid = 'map-focus';
    el.innerHTML = '<span class="map-focus__ring"></span><span class="map-focus__ring map-focus__ring--2"></span><span class="map-focus__dot"></span>';
    const marker = new maplibregl.Marker({ element: el }).setLngLat(crs.toMap(focus.lon, focus.lat)).addTo(map);
    return () => {
      marker.remove();
    };
  }, [focus, crs]);

  const onGridHoverInternal = useCallback((grid: GridFeature | null, info: PickingInfo<GridFeature>) => {
    const map = mapRef.current;
    if (map) map.getCanvas().style.cursor = grid ? 'pointer' : '';
    callbacks.current.onGridHover?.(grid);
    setHover(grid ? { grid: grid.properties, x: info.x, y: info.y } : null);
  }, []);

  // The grid polygons: coloured as the parent asks (indicator, fading under the heatmap).
  const gridOpts = grids;
  const gridLayers = useMemo<Layer[]>(() => {
    if (!mapData || gridOpts === null) return [];
    return gridsLayer(mapData.grids, {
      theme,
      zoom: zoomStep,
      pixelScale,
      visible: gridOpts?.visible ?? true,
      indicator: gridOpts?.indicator ?? null,
      underHeatmap: gridOpts?.underHeatmap ?? false,
      highlightIndex: gridOpts?.highlightIndex ?? -1,
      autoHighlight: gridTooltip,
      onHover: gridTooltip ? onGridHoverInternal : undefined,
      onClick: gridOpts?.onClick,
    });
  }, [mapData, gridOpts, theme, zoomStep, pixelScale, gridTooltip, onGridHoverInternal]);

  // Boundaries and labels: rebuilt only when their own inputs change.
  const regionLayers = useMemo<Layer[]>(() => {
    if (!mapData) return [];
    return regionsLayer(
      { townships: mapData.townships, villages: mapData.villages, townshipLabels: labels.townships, villageLabels: labels.villages },
      { theme, pixelScale },
    ).map((l) => (regions ? l : l.clone({ visible: false })));
  }, [mapData, labels.townships, labels.villages, theme, pixelScale, regions]);
  const lineLayers = useMemo(() => regionLayers.filter((l) => !l.id.endsWith('labels')), [regionLayers]);
  const regionLabelLayers = useMemo(() => regionLayers.filter((l) => l.id.endsWith('labels')), [regionLayers]);
  const gridLabelLayer = useMemo(
    () => gridLabelsLayer(labels.grids, { theme, visible: gridLabels !== null, pixelScale }),
    [labels.grids, theme, gridLabels, pixelScale],
  );

  // Benchmark only (testHook.measureLayerUpdates, "everything changed"): each bump of `epoch`
  // hands every layer a copy of its data array, as an app that rebuilt its data on every update
  // would; the copies are kept per original array until the next bump.
  const [epoch, setEpoch] = useState(0);
  const copies = useRef<{ epoch: number; map: WeakMap<object, unknown[]> }>({ epoch: 0, map: new WeakMap() });
  useEffect(() => {
    testHook._invalidateAll = (reset = false) => setEpoch((e) => (reset ? 0 : e + 1));
    return () => {
      testHook._invalidateAll = null;
    };
  }, []);

  const layers = useMemo<Layer[]>(() => {
    let all = [...gridLayers, ...below, ...lineLayers, ...above, gridLabelLayer, ...regionLabelLayers];
    if (epoch > 0) {
      if (copies.current.epoch !== epoch) copies.current = { epoch, map: new WeakMap() };
      const map = copies.current.map;
      all = all.map((l) => {
        const data = l.props.data as unknown;
        if (!Array.isArray(data)) return l;
        let copy = map.get(data);
        if (!copy) {
          copy = data.slice();
          map.set(data, copy);
        }
        return l.clone({ data: copy });
      });
    }
    return hidden.size ? all.map((l) => (hidden.has(l.id) ? l.clone({ visible: false }) : l)) : all;
  }, [gridLayers, below, lineLayers, above, gridLabelLayer, regionLabelLayers, hidden, epoch]);

  useEffect(() => {
    const overlay = overlayRef.current;
    if (!overlay) return;
    testHook._layers = layers;
    testHook._generation++;
    overlay.setProps({ layers });
    // deck.gl matches and updates the layers at its next frame. The layer-update benchmark
    // (testHook.measureLayerUpdates) runs that step right here instead, to time it on its own.
    if (testHook._syncLayerUpdates) {
      const lm = (overlay as unknown as { _deck?: { layerManager?: { updateLayers(): void } } })._deck?.layerManager;
      const t0 = performance.now();
      lm?.updateLayers();
      testHook._lastLayerUpdateMs = performance.now() - t0;
    }
  }, [layers]);

  // A readiness check also when nothing is drawn (e.g. the bare base map with no layers).
  useEffect(() => {
    checkReady(false);
  }, [pending, groups, checkReady]);

  return (
    <div className="map-view">
      <div ref={containerRef} className="map-view__map" data-testid="map" />
      {gridTooltip && hover && (
        <GridTooltip
          grid={hover.grid}
          x={hover.x}
          y={hover.y}
          containerWidth={size.width}
          containerHeight={size.height}
        />
      )}
      {children}
    </div>
  );
}

export { GRIDS_LAYER_ID };
