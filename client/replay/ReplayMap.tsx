// The replay's own map: MapLibre with the offline basemap style (client/map/basemapStyle.ts, used
// read-only) and a deck.gl MapboxOverlay in overlaid mode (interleaved: true throws every frame with
// MapLibre 6). Context layers (grid outlines, the grids of the loaded workers) sit under the replay
// layers it is given. The camera: fit to a box when `fit.key` changes, keep `follow` centred.
//
// Self-contained because the operator MapView has no way yet to add layers or drive the camera;
// once it has (`extraLayers`, camera access), the page can move onto it.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useLatest } from '../useLatest.js';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Polygon } from 'geojson';
import type { BasemapFeature, GridFeature, RegionFeature } from '../api/client.js';
import { BASEMAP_SOURCES, basemapStyle, featureCollection } from '../map/basemapStyle.js';
import { CJK_FONT_FAMILY_CSS, type Theme } from '../theme.js';

maplibregl.setWorkerUrl(workerUrl);

export type LngLatBBox = [number, number, number, number];

export interface MapPadding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface ReplayContextData {
  county: RegionFeature[];
  grids: GridFeature[];
  basemap: BasemapFeature[] | null;
}

export interface ReplayMapProps {
  theme: Theme;
  /** Replay layers (replayLayers.ts), drawn above the context layers. */
  layers: readonly Layer[];
  context: ReplayContextData | null;
  /** Grids to outline strongly (those of the loaded workers, or the chosen grid/village). */
  highlightGridIds: ReadonlySet<number>;
  /** Fit the camera to `bbox` whenever `key` changes. */
  fit: { bbox: LngLatBBox; key: string } | null;
  /** Keep this point centred (the followed worker), or null. */
  follow: [number, number] | null;
  /** Space taken by the panels over the map: the visible centre is offset by it. */
  padding: MapPadding;
  /** The user moved the map (drag, wheel): following stops. */
  onUserMove?: () => void;
  onMapReady?: (map: maplibregl.Map | null, overlay: MapboxOverlay | null) => void;
  /** After every deck.gl frame. */
  onFrame?: () => void;
}

const INITIAL_CENTER: [number, number] = [118.765, 34.54];
const INITIAL_ZOOM = 9.2;
/** Zoom the camera goes to (at least) when following starts. */
const FOLLOW_ZOOM = 15.5;
export const CONTEXT_LAYER_IDS = { grids: 'replay-context-grids', highlight: 'replay-context-highlight', labels: 'replay-context-labels' } as const;

/** Area-weighted centroid of the outer ring (grids are compact: good enough for a label). */
export function ringLabelPoint(polygon: Polygon): [number, number] {
  const ring = polygon.coordinates[0];
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j];
    const [x1, y1] = ring[i];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-12) return [ring[0][0], ring[0][1]];
  return [cx / (3 * a), cy / (3 * a)];
}

function ReplayMapImpl({
  theme,
  layers,
  context,
  highlightGridIds,
  fit,
  follow,
  padding,
  onUserMove,
  onMapReady,
  onFrame,
}: ReplayMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [styleLoaded, setStyleLoaded] = useState(false);
  const callbacks = useLatest({ onUserMove, onMapReady, onFrame });
  const paddingRef = useLatest(padding);

  useEffect(() => {
    const map = new maplibregl.Map({
      container: containerRef.current!,
      style: basemapStyle(theme),
      center: INITIAL_CENTER,
      zoom: INITIAL_ZOOM,
      minZoom: 7,
      maxZoom: 18,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: { compact: true, customAttribution: '区划代码：国家统计局 2023 · 县界：高德地图（示意）' },
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'top-right');
    map.setPadding(paddingRef.current);
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onAfterRender: () => callbacks.current.onFrame?.(),
    });
    map.addControl(overlay);
    map.on('load', () => setStyleLoaded(true));
    // Only moves the user started (events with an originalEvent), not our own jumpTo/fitBounds.
    const userMove = (e: { originalEvent?: unknown }) => {
      if (e.originalEvent) callbacks.current.onUserMove?.();
    };
    map.on('dragstart', userMove);
    map.on('wheel', userMove);
    mapRef.current = map;
    overlayRef.current = overlay;
    callbacks.current.onMapReady?.(map, overlay);
    return () => {
      callbacks.current.onMapReady?.(null, null);
      mapRef.current = null;
      overlayRef.current = null;
      map.remove();
    };
    // The theme of the first render; a theme change restyles below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Theme change: same sources, other paint.
  const themeRef = useRef(theme);
  useEffect(() => {
    if (themeRef.current === theme) return;
    themeRef.current = theme;
    mapRef.current?.setStyle(basemapStyle(theme, { county: context?.county, basemap: context?.basemap ?? undefined }), { diff: true });
  }, [theme, context]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleLoaded || !context) return;
    map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.county)?.setData(featureCollection(context.county));
    if (context.basemap) map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.basemap)?.setData(featureCollection(context.basemap));
  }, [context, styleLoaded]);

  useEffect(() => {
    mapRef.current?.setPadding(padding);
  }, [padding]);

  // Fit once per key (a new load), unless following.
  const fitKey = fit?.key;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fit || follow) return;
    const [minX, minY, maxX, maxY] = fit.bbox;
    map.fitBounds([minX, minY, maxX, maxY], { padding: 48, maxZoom: 16.5, duration: 0 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fitKey]);

  // Follow: ease in on the first frame, then keep the point centred frame by frame.
  const following = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!follow) {
      following.current = false;
      return;
    }
    if (!following.current) {
      following.current = true;
      map.easeTo({ center: follow, zoom: Math.max(map.getZoom(), FOLLOW_ZOOM), duration: 400 });
    } else if (!map.isMoving()) {
      map.jumpTo({ center: follow });
    }
  }, [follow]);

  const gridsLayerData = context?.grids;
  const highlighted = useMemo(
    () => (gridsLayerData ?? []).filter((g) => highlightGridIds.has(g.properties.id)),
    [gridsLayerData, highlightGridIds],
  );
  const labels = useMemo(
    () => highlighted.map((g) => ({ name: g.properties.name, position: ringLabelPoint(g.geometry) })),
    [highlighted],
  );

  const contextLayers = useMemo<Layer[]>(() => {
    if (!gridsLayerData) return [];
    return [
      new GeoJsonLayer({
        id: CONTEXT_LAYER_IDS.grids,
        data: gridsLayerData as GridFeature[],
        filled: false,
        stroked: true,
        getLineColor: [84, 96, 112, 90],
        getLineWidth: 1,
        lineWidthUnits: 'pixels',
      }),
      new GeoJsonLayer({
        id: CONTEXT_LAYER_IDS.highlight,
        data: highlighted as GridFeature[],
        filled: true,
        stroked: true,
        getFillColor: [24, 104, 219, 8],
        getLineColor: [24, 104, 219, 200],
        getLineWidth: 2,
        lineWidthUnits: 'pixels',
      }),
      new TextLayer<{ name: string; position: [number, number] }>({
        id: CONTEXT_LAYER_IDS.labels,
        data: labels,
        getPosition: (d) => d.position,
        getText: (d) => d.name,
        getSize: 12,
        sizeUnits: 'pixels',
        getColor: [40, 70, 120, 200],
        outlineWidth: 4,
        outlineColor: [255, 255, 255, 220],
        characterSet: 'auto',
        fontFamily: CJK_FONT_FAMILY_CSS,
        fontSettings: { sdf: true, fontSize: 48, buffer: 6, radius: 12, cutoff: 0.22, smoothing: 0.12 },
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
      }),
    ];
  }, [gridsLayerData, highlighted, labels]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: [...contextLayers, ...layers] });
  }, [contextLayers, layers]);

  return <div ref={containerRef} className="replay-map" data-testid="replay-map" />;
}

export const ReplayMap = memo(ReplayMapImpl);
