// The operator map: MapLibre with the offline basemap (basemapStyle.ts), deck.gl data layers on top
// through MapboxOverlay in overlaid mode (interleaved: true throws every frame with MapLibre 6),
// a React tooltip for the hovered grid, and the test hook (testHook.ts) kept up to date.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// After a Vite build MapLibre cannot find its worker next to itself: point it at the bundled file.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Feature } from 'geojson';
import type { BasemapFeature, GridFeature, GridProperties, RegionFeature } from '../api/client.js';
import type { Theme } from '../theme.js';
import { testHook } from '../testHook.js';
import { BASEMAP_SOURCES, basemapStyle, featureCollection } from './basemapStyle.js';
import { GRIDS_LAYER_ID, gridsLayer } from './layers/gridsLayer.js';
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

interface LabelSets {
  townships: RegionFeature[];
  villages: RegionFeature[];
}
const NO_LABELS: LabelSets = { townships: [], villages: [] };

interface HoverState {
  grid: GridProperties;
  x: number;
  y: number;
}

export interface MapViewProps {
  data: MapData | null;
  /** Roads and water (optional, may arrive after `data`). */
  basemap?: readonly BasemapFeature[] | null;
  theme: Theme;
}

export function MapView({ data, basemap = null, theme }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const themeRef = useRef(theme);
  const dataRef = useRef(data);
  dataRef.current = data;
  const basemapRef = useRef(basemap);
  basemapRef.current = basemap;
  const fittedRef = useRef(false);
  const [styleLoaded, setStyleLoaded] = useState(false);
  const [labels, setLabels] = useState<LabelSets>(NO_LABELS);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [hover, setHover] = useState<HoverState | null>(null);
  // Zoom in half steps: enough for zoom-dependent styling without re-rendering every frame.
  const [zoomStep, setZoomStep] = useState(INITIAL_ZOOM);
  const [size, setSize] = useState({ width: 0, height: 0 });

  // Names that fit at the current zoom, biggest areas first; villages only when zoomed in.
  const placeLabels = useCallback(() => {
    const map = mapRef.current;
    const d = dataRef.current;
    if (!map || !d) return;
    const townships = [...d.townships].sort(byAreaDesc);
    const villages = map.getZoom() >= VILLAGE_LABEL_MIN_ZOOM ? [...d.villages].sort(byAreaDesc) : [];
    const [t, v] = declutter<RegionFeature>(
      [
        { items: townships, fontSize: TOWNSHIP_LABEL_SIZE, text: regionLabelText, position: regionLabelPoint },
        { items: villages, fontSize: VILLAGE_LABEL_SIZE, text: regionLabelText, position: regionLabelPoint },
      ],
      (lonLat) => map.project(lonLat),
    );
    setLabels((prev) =>
      sameItems(prev.townships, t) && sameItems(prev.villages, v)
        ? prev
        : { townships: sameItems(prev.townships, t) ? prev.townships : t, villages: sameItems(prev.villages, v) ? prev.villages : v },
    );
  }, []);

  // Readiness for the test hook, checked after every deck.gl frame until it holds.
  const checkReady = useCallback(() => {
    if (testHook.isReady) return;
    const map = mapRef.current;
    const d = dataRef.current;
    const layers = testHook._layers;
    const count = (id: string) => {
      const data = layers.find((l) => l.id === id)?.props.data;
      return Array.isArray(data) ? data.length : 0;
    };
    if (!map || !d || count(GRIDS_LAYER_ID) === 0) return;
    if (d.townships.length > 0 && count(REGION_LAYER_IDS.townshipLabels) === 0) return;
    if (!layers.every((l) => l.props.visible === false || l.isLoaded)) return;
    if (map.loaded()) testHook._markReady();
    else map.once('idle', () => testHook._markReady());
  }, []);

  // The map and the overlay: created once.
  useEffect(() => {
    const container = containerRef.current!;
    const map = new maplibregl.Map({
      container,
      style: basemapStyle(themeRef.current),
      center: INITIAL_CENTER,
      zoom: INITIAL_ZOOM,
      minZoom: 7,
      maxZoom: 17,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: {
        compact: true,
        customAttribution: '区划代码：国家统计局 2023 · 县界：高德地图（示意）',
      },
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onAfterRender: () => {
        testHook._frameDrawn();
        checkReady();
      },
    });
    map.addControl(overlay);

    map.on('load', () => setStyleLoaded(true));
    map.on('moveend', placeLabels);
    map.on('zoom', () => setZoomStep(Math.round(map.getZoom() * 2) / 2));
    map.on('movestart', () => setHover(null));
    const measure = () => setSize({ width: container.clientWidth, height: container.clientHeight });
    map.on('resize', measure);
    measure();

    mapRef.current = map;
    overlayRef.current = overlay;
    testHook.map = map;
    testHook.deck = overlay;
    testHook._setHiddenImpl = (ids) => setHidden(new Set(ids));
    return () => {
      testHook._setHiddenImpl = null;
      testHook.deck = null;
      testHook.map = null;
      mapRef.current = null;
      overlayRef.current = null;
      map.remove(); // removes the overlay control too (finalizes its Deck)
    };
  }, [checkReady, placeLabels]);

  // Basemap sources, and the first fit to the county.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleLoaded || !data) return;
    map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.county)?.setData(featureCollection(data.county));
    if (!fittedRef.current) {
      const bbox = featuresBBox(data.county.length ? data.county : data.grids);
      if (bbox) {
        fittedRef.current = true;
        map.fitBounds(bbox, { padding: FIT_PADDING, animate: false });
        map.setMaxBounds(grow(bbox, 0.75));
      }
    }
    placeLabels();
  }, [data, styleLoaded, placeLabels]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleLoaded || !basemap) return;
    map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.basemap)?.setData(featureCollection(basemap));
  }, [basemap, styleLoaded]);

  // Theme change: same sources, other paint (style diff).
  useEffect(() => {
    if (themeRef.current === theme) return;
    themeRef.current = theme;
    const map = mapRef.current;
    const d = dataRef.current;
    const b = basemapRef.current ?? undefined;
    map?.setStyle(
      basemapStyle(theme, { county: d?.county, basemap: b }),
      { diff: true },
    );
  }, [theme]);

  const onGridHover = useCallback((grid: GridFeature | null, info: PickingInfo<GridFeature>) => {
    const map = mapRef.current;
    if (map) map.getCanvas().style.cursor = grid ? 'pointer' : '';
    setHover(grid ? { grid: grid.properties, x: info.x, y: info.y } : null);
  }, []);

  // Layers depend on data, theme and view options only: hovering does not rebuild them.
  const layers = useMemo<Layer[]>(() => {
    if (!data) return [];
    return [
      ...gridsLayer(data.grids, { theme, zoom: zoomStep, onHover: onGridHover, visible: !hidden.has(GRIDS_LAYER_ID) }),
      ...regionsLayer(
        { townships: data.townships, villages: data.villages, townshipLabels: labels.townships, villageLabels: labels.villages },
        { theme, hidden },
      ),
    ];
  }, [data, theme, zoomStep, onGridHover, hidden, labels]);

  useEffect(() => {
    const overlay = overlayRef.current;
    if (!overlay) return;
    testHook._layers = layers;
    testHook._generation++;
    overlay.setProps({ layers });
  }, [layers]);

  return (
    <div className="map-view">
      <div ref={containerRef} className="map-view__map" data-testid="map" />
      {hover && (
        <GridTooltip
          grid={hover.grid}
          x={hover.x}
          y={hover.y}
          containerWidth={size.width}
          containerHeight={size.height}
        />
      )}
    </div>
  );
}
