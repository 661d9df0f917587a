// Administrative boundaries and names drawn ABOVE the data layers: village boundaries (村社区界线),
// township boundaries (镇街界线, white casing + dark line), township names, and village names once
// zoomed in.
//
// Why deck.gl and not MapLibre symbol layers: MapLibre 6.17 can draw Chinese labels offline (with
// no `glyphs` URL in the style it rasterises `text-font` as local CSS fonts with TinySDF), but the
// deck.gl overlay is a separate canvas above the map (interleaved mode throws with MapLibre 6), so
// MapLibre labels would sit under every grid fill, heatmap and track. deck.gl's TextLayer builds its
// font atlas from a local font (`characterSet: 'auto'` = every character in the data), so no
// network either.
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { RegionFeature } from '../../api/client.js';
import { CJK_FONT_FAMILY_CSS, type Theme } from '../../theme.js';

export const REGION_LAYER_IDS = {
  villageLine: 'village-boundary',
  townshipCasing: 'township-boundary-casing',
  townshipLine: 'township-boundary',
  townshipLabels: 'township-labels',
  villageLabels: 'village-labels',
} as const;

/** Village names appear from this zoom on (at county view they would only be clutter). */
export const VILLAGE_LABEL_MIN_ZOOM = 11.5;
export const TOWNSHIP_LABEL_SIZE = 15;
export const VILLAGE_LABEL_SIZE = 12;

export interface RegionsLayerData {
  /** Township and village areas (boundaries). */
  townships: readonly RegionFeature[];
  villages: readonly RegionFeature[];
  /** The township and village labels to draw (decluttered by the caller, see labelDeclutter.ts). */
  townshipLabels: readonly RegionFeature[];
  villageLabels: readonly RegionFeature[];
}

export interface RegionsLayerOptions {
  theme: Theme;
  /** Layers the caller wants hidden (test hook, layer panel). */
  hidden?: ReadonlySet<string>;
  /** Multiplies pixel sizes (line widths, text) on big walls. */
  pixelScale?: number;
}

/**
 * The name as a map label: official village names end in 居民委员会 / 村民委员会 / 村委会 (the
 * committees), which the map leaves out: 牛山社区居民委员会 → 牛山社区, 柳汪村委会 → 柳汪村.
 */
export function shortRegionName(name: string): string {
  return name
    .replace(/居民委员会$/, '')
    .replace(/村民?委员?会$/, '村')
    .replace(/委员会$/, '');
}

export const regionLabelText = (f: RegionFeature) => shortRegionName(f.properties.name);
const labelPosition = (f: RegionFeature) => f.properties.label as [number, number];
const labelText = regionLabelText;

const FONT_SETTINGS = { sdf: true, fontSize: 56, buffer: 8, radius: 14, cutoff: 0.22, smoothing: 0.12 };

export function regionsLayer(data: RegionsLayerData, options: RegionsLayerOptions): Layer[] {
  const { townships, villages, townshipLabels, villageLabels } = data;
  const { theme, hidden, pixelScale: k = 1 } = options;
  const r = theme.regions;
  const visible = (id: string) => !hidden?.has(id);
  return [
    new GeoJsonLayer({
      id: REGION_LAYER_IDS.villageLine,
      data: villages as RegionFeature[],
      visible: visible(REGION_LAYER_IDS.villageLine),
      filled: false,
      stroked: true,
      getLineColor: r.villageLine,
      getLineWidth: 1.2 * k,
      lineWidthUnits: 'pixels',
      lineJointRounded: true,
    }),
    new GeoJsonLayer({
      id: REGION_LAYER_IDS.townshipCasing,
      data: townships as RegionFeature[],
      visible: visible(REGION_LAYER_IDS.townshipCasing),
      filled: false,
      stroked: true,
      getLineColor: r.townshipCasing,
      getLineWidth: 4 * k,
      lineWidthUnits: 'pixels',
      lineJointRounded: true,
    }),
    new GeoJsonLayer({
      id: REGION_LAYER_IDS.townshipLine,
      data: townships as RegionFeature[],
      visible: visible(REGION_LAYER_IDS.townshipLine),
      filled: false,
      stroked: true,
      getLineColor: r.townshipLine,
      getLineWidth: 1.6 * k,
      lineWidthUnits: 'pixels',
      lineJointRounded: true,
    }),
    new TextLayer<RegionFeature>({
      id: REGION_LAYER_IDS.villageLabels,
      data: villageLabels as RegionFeature[],
      visible: villageLabels.length > 0 && visible(REGION_LAYER_IDS.villageLabels),
      getPosition: labelPosition,
      getText: labelText,
      getSize: VILLAGE_LABEL_SIZE * k,
      sizeUnits: 'pixels',
      getColor: r.villageText,
      characterSet: 'auto',
      fontFamily: CJK_FONT_FAMILY_CSS,
      fontSettings: FONT_SETTINGS,
      outlineWidth: 5,
      outlineColor: r.textOutline,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      billboard: true,
    }),
    new TextLayer<RegionFeature>({
      id: REGION_LAYER_IDS.townshipLabels,
      data: townshipLabels as RegionFeature[],
      visible: visible(REGION_LAYER_IDS.townshipLabels),
      getPosition: labelPosition,
      getText: labelText,
      getSize: TOWNSHIP_LABEL_SIZE * k,
      sizeUnits: 'pixels',
      getColor: r.townshipText,
      characterSet: 'auto',
      fontFamily: CJK_FONT_FAMILY_CSS,
      fontWeight: 'bold',
      fontSettings: FONT_SETTINGS,
      outlineWidth: 6,
      outlineColor: r.textOutline,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      billboard: true,
    }),
  ];
}
