// The editor's own map: MapLibre with the offline base map (client/map/basemapStyle.ts, read-only)
// and a deck.gl overlay in overlaid mode (interleaved: true throws with MapLibre 6). The parent
// gives the deck.gl layers and gets the MapLibre map (for events, projection, camera).
import { useEffect, useRef } from 'react';
import { useLatest } from '../useLatest.js';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import type { Feature } from 'geojson';
import { BASEMAP_SOURCES, basemapStyle, featureCollection } from '../map/basemapStyle.js';
import type { Theme } from '../theme.js';

maplibregl.setWorkerUrl(workerUrl);

export interface EditorMapProps {
  theme: Theme;
  layers: Layer[];
  /** County outline (for the land colour), fitted once when it arrives. */
  county: readonly Feature[] | null;
  /** Roads and water (optional). */
  basemap?: readonly Feature[] | null;
  onMap?: (map: maplibregl.Map | null, overlay: MapboxOverlay | null) => void;
  /** Called after every deck.gl frame. */
  onAfterRender?: () => void;
}

export function EditorMap({ theme, layers, county, basemap, onMap, onAfterRender }: EditorMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const fitted = useRef(false);
  const cb = useLatest({ onMap, onAfterRender });
  const styleLoaded = useRef(false);
  const pending = useRef<{ county: readonly Feature[] | null; basemap: readonly Feature[] | null | undefined }>({ county, basemap });
  pending.current = { county, basemap };

  useEffect(() => {
    const map = new maplibregl.Map({
      container: container.current!,
      style: basemapStyle(theme),
      center: [118.765, 34.54],
      zoom: 9.2,
      minZoom: 7,
      maxZoom: 19,
      dragRotate: false,
      pitchWithRotate: false,
      attributionControl: false,
      // Keep the canvas after a frame so screenshots and pixel tests see it.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const overlay = new MapboxOverlay({ interleaved: false, layers: [], onAfterRender: () => cb.current.onAfterRender?.() });
    map.addControl(overlay);
    map.on('load', () => {
      styleLoaded.current = true;
      applyData();
    });
    mapRef.current = map;
    overlayRef.current = overlay;
    cb.current.onMap?.(map, overlay);
    return () => {
      cb.current.onMap?.(null, null);
      mapRef.current = null;
      overlayRef.current = null;
      styleLoaded.current = false;
      map.remove();
    };
    // The map is created once; theme changes are not expected on this page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function applyData() {
    const map = mapRef.current;
    if (!map || !styleLoaded.current) return;
    const { county: c, basemap: b } = pending.current;
    if (c) {
      map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.county)?.setData(featureCollection(c));
      if (!fitted.current && c.length) {
        fitted.current = true;
        const bb = bboxOf(c);
        if (bb) map.fitBounds(bb, { padding: 30, animate: false });
      }
    }
    if (b) map.getSource<maplibregl.GeoJSONSource>(BASEMAP_SOURCES.basemap)?.setData(featureCollection(b));
  }

  useEffect(applyData, [county, basemap]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers });
  }, [layers]);

  return <div ref={container} className="editor-map" data-testid="editor-map" />;
}

function bboxOf(features: readonly Feature[]): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      minX = Math.min(minX, c[0] as number);
      maxX = Math.max(maxX, c[0] as number);
      minY = Math.min(minY, c[1] as number);
      maxY = Math.max(maxY, c[1] as number);
      return;
    }
    for (const x of c) visit(x);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}
