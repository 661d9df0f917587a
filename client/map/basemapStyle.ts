// The offline basemap: a MapLibre style built in code. No remote tiles, no glyphs, no sprite: every
// source is a GeoJSON source the map view fills from our own API (/api/regions, /api/basemap).
//
// What is drawn here is the quiet background: outside colour, the county's land, water and roads
// (GET /api/basemap, optional), the county outline, and road and water names. Everything that must
// stay readable above the data layers (village and township boundaries, township and village
// names) is drawn by deck.gl in layers/regionsLayer.ts:
// the deck.gl overlay (interleaved: false, see MapView) is a canvas above the map's canvas, so any
// MapLibre layer ends up beneath every data layer.
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import { CJK_FONT_STACK, type Theme } from '../theme.js';

export const BASEMAP_SOURCES = {
  county: 'county',
  /** Roads and water (GET /api/basemap); stays empty if the server has none. */
  basemap: 'basemap',
} as const;
export type BasemapSourceId = (typeof BASEMAP_SOURCES)[keyof typeof BASEMAP_SOURCES];

export type BasemapData = Partial<Record<BasemapSourceId, readonly Feature[]>>;

export function featureCollection(features: readonly Feature[] | undefined): FeatureCollection {
  return { type: 'FeatureCollection', features: features ? [...features] : [] };
}

/**
 * The whole style. `data` fills the sources (empty if omitted): building the style again with the
 * same data and another theme and passing it to `map.setStyle(style, { diff: true })` only
 * changes paint properties.
 */
export function basemapStyle(theme: Theme, data: BasemapData = {}): StyleSpecification {
  const m = theme.map;
  return {
    version: 8,
    name: `gridcc-offline-${theme.name}`,
    // No `glyphs` and no `sprite`: nothing is fetched. Without `glyphs`, MapLibre 6 reads each
    // symbol layer's `text-font` as local CSS font families and rasterises the text in the browser
    // (GlyphManager + TinySDF), so the road and water names below need no glyph server.
    sources: {
      [BASEMAP_SOURCES.county]: { type: 'geojson', data: featureCollection(data.county) },
      [BASEMAP_SOURCES.basemap]: { type: 'geojson', data: featureCollection(data.basemap) },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': m.background } },
      {
        id: 'county-land',
        type: 'fill',
        source: BASEMAP_SOURCES.county,
        paint: { 'fill-color': m.land, 'fill-antialias': false },
      },
      ...waterAndRoads(theme),
      {
        id: 'county-casing',
        type: 'line',
        source: BASEMAP_SOURCES.county,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': m.countyCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 4, 13, 9] },
      },
      {
        id: 'county-outline',
        type: 'line',
        source: BASEMAP_SOURCES.county,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': m.countyOutline, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 13, 3] },
      },
      ...roadLabels(theme),
    ],
  };
}

const isClass = (...classes: string[]): ExpressionSpecification => ['in', ['get', 'class'], ['literal', classes]];
const isLine: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const isArea: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const byZoom = (...stops: number[]): ExpressionSpecification => ['interpolate', ['exponential', 1.5], ['zoom'], ...stops];

/** Road classes, most important last (drawn on top). Widths in px at zooms 9 and 15. */
const ROADS: Array<{ classes: string[]; minzoom: number; w9: number; w15: number; casing: boolean; color: 'roadExpressway' | 'roadMajor' | 'roadMinor' }> = [
  { classes: ['village'], minzoom: 11.5, w9: 0.3, w15: 2.5, casing: false, color: 'roadMinor' },
  { classes: ['street'], minzoom: 10.5, w9: 0.4, w15: 4, casing: false, color: 'roadMinor' },
  { classes: ['county'], minzoom: 9.5, w9: 0.6, w15: 4, casing: false, color: 'roadMinor' },
  { classes: ['national', 'provincial'], minzoom: 0, w9: 1.2, w15: 7, casing: true, color: 'roadMajor' },
  { classes: ['expressway'], minzoom: 0, w9: 1.6, w15: 9, casing: true, color: 'roadExpressway' },
];

function waterAndRoads(theme: Theme): LayerSpecification[] {
  const m = theme.map;
  const src = BASEMAP_SOURCES.basemap;
  const layers: LayerSpecification[] = [
    {
      id: 'water-area',
      type: 'fill',
      source: src,
      filter: ['all', ['==', ['get', 'kind'], 'water'], isArea],
      paint: { 'fill-color': m.water, 'fill-outline-color': m.waterLine },
    },
    {
      id: 'water-line',
      type: 'line',
      source: src,
      filter: ['all', ['==', ['get', 'kind'], 'water'], isLine],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': m.waterLine, 'line-width': byZoom(9, 1, 15, 6) },
    },
  ];
  const roadFilter = (classes: string[]): ExpressionSpecification => ['all', ['==', ['get', 'kind'], 'road'], isLine, isClass(...classes)];
  for (const r of ROADS.filter((r) => r.casing)) {
    layers.push({
      id: `road-${r.classes[0]}-casing`,
      type: 'line',
      source: src,
      minzoom: r.minzoom,
      filter: roadFilter(r.classes),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': m.roadCasing, 'line-width': byZoom(9, r.w9 + 1, 15, r.w15 + 2) },
    });
  }
  for (const r of ROADS) {
    layers.push({
      id: `road-${r.classes[0]}`,
      type: 'line',
      source: src,
      minzoom: r.minzoom,
      filter: roadFilter(r.classes),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': r.casing ? m[r.color] : m.roadCasing,
        'line-width': byZoom(9, r.w9, 15, r.w15),
      },
    });
  }
  return layers;
}

/**
 * Road and water names. MapLibre 6 draws them with local fonts (no `glyphs` in the style: the
 * `text-font` list is used as CSS font families and rasterised in the browser), so Chinese works
 * offline. They sit under the deck.gl overlay, which is fine for names of lines.
 */
function roadLabels(theme: Theme): LayerSpecification[] {
  const m = theme.map;
  return [
    {
      id: 'road-label',
      type: 'symbol',
      source: BASEMAP_SOURCES.basemap,
      minzoom: 11,
      filter: ['all', ['==', ['get', 'kind'], 'road'], isLine, ['has', 'name'], isClass('expressway', 'national', 'provincial', 'county', 'street')],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': CJK_FONT_STACK,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 10, 15, 13],
        'text-max-angle': 30,
        'symbol-spacing': 400,
      },
      paint: { 'text-color': m.roadLabel, 'text-halo-color': m.roadLabelHalo, 'text-halo-width': 1.5 },
    },
    ...(['line', 'point'] as const).map(
      (placement): LayerSpecification => ({
        id: `water-label-${placement}`,
        type: 'symbol',
        source: BASEMAP_SOURCES.basemap,
        minzoom: 10,
        filter: ['all', ['==', ['get', 'kind'], 'water'], ['has', 'name'], placement === 'line' ? isLine : isArea],
        layout: {
          'symbol-placement': placement,
          'text-field': ['get', 'name'],
          'text-font': CJK_FONT_STACK,
          'text-size': 11,
          ...(placement === 'line' ? { 'symbol-spacing': 500 } : {}),
        },
        paint: { 'text-color': m.waterLine, 'text-halo-color': m.roadLabelHalo, 'text-halo-width': 1.2 },
      }),
    ),
  ];
}
