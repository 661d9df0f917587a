// The grid polygons (网格): outlines, fill coloured by the chosen indicator (open incidents,
// incidents in the window, patrol coverage today, workers on duty — values from the server), hover
// highlight, click for the detail card, and names or codes as labels from GRID_LABEL_MIN_ZOOM on.
//
// Data identity: `data` is the same array between renders (one per fetch), so hovering, a new
// indicator or a theme change never rebuild geometry: the colours are recomputed through
// `updateTriggers` (one colour attribute), and the hover highlight is deck.gl's `autoHighlight`
// (done on the GPU from the picking colour, no attribute update).
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { GridFeature, GridIndicator } from '../../api/client.js';
import { CJK_FONT_FAMILY_CSS, indicatorColor, type RGBA, type Theme } from '../../theme.js';

export const GRIDS_LAYER_ID = 'grids';
export const GRID_LABELS_LAYER_ID = 'grid-labels';
/** Grid names appear from this zoom on (a grid is then ~100 px across). */
export const GRID_LABEL_MIN_ZOOM = 13;
export const GRID_LABEL_SIZE = 12;

export interface GridsLayerOptions {
  theme: Theme;
  visible?: boolean;
  /** Map zoom (half steps are enough): fills grow lighter when zoomed in, to show the streets. */
  zoom?: number;
  /** Colour by these values (null: by urban / rural kind). */
  indicator?: GridIndicator | null;
  /** The heatmap is drawn over the grids: fills fade so the heat reads. */
  underHeatmap?: boolean;
  /** Feature index to highlight without a pointer (the wall screen's cycling highlight), -1 none. */
  highlightIndex?: number;
  /** Hover highlight follows the pointer (operator view). */
  autoHighlight?: boolean;
  /** Called with the hovered grid (or null) and the pointer position in map-container pixels. */
  onHover?: (grid: GridFeature | null, info: PickingInfo<GridFeature>) => void;
  onClick?: (grid: GridFeature, info: PickingInfo<GridFeature>) => void;
  /** Multiplies pixel sizes (line widths) on big walls. */
  pixelScale?: number;
}

export function gridFillColor(theme: Theme, grid: GridFeature): RGBA {
  return grid.properties.kind === 'urban' ? theme.grids.urbanFill : theme.grids.ruralFill;
}

export function gridLineColor(theme: Theme, grid: GridFeature): RGBA {
  return grid.properties.kind === 'urban' ? theme.grids.urbanLine : theme.grids.ruralLine;
}

/** Layer opacity by zoom: 1 at county view, 0.6 from street level on (a uniform, no data rebuild). */
export function gridOpacity(zoom = 0): number {
  const t = Math.min(1, Math.max(0, (zoom - 11.5) / 2.5));
  return +(1 - 0.4 * t).toFixed(3);
}

/** Fill of one grid under the options' colouring. */
export function gridIndicatorFill(theme: Theme, grid: GridFeature, indicator: GridIndicator | null | undefined, underHeatmap = false): RGBA {
  const c = indicator
    ? indicatorColor(theme, indicator.indicator, indicator.values[String(grid.properties.id)], indicator.max)
    : gridFillColor(theme, grid);
  return underHeatmap ? [c[0], c[1], c[2], Math.round(c[3] * theme.indicator.underHeatmap)] : c;
}

export function gridsLayer(data: readonly GridFeature[], options: GridsLayerOptions): Layer[] {
  const { theme, visible = true, zoom, indicator = null, underHeatmap = false, onHover, onClick, pixelScale = 1 } = options;
  const { highlightIndex = -1, autoHighlight = true } = options;
  return [
    new GeoJsonLayer<GridFeature['properties']>({
      id: GRIDS_LAYER_ID,
      // GeoJsonLayer's typing wants mutable Feature[]; the array is never mutated.
      data: data as GridFeature[],
      visible,
      opacity: gridOpacity(zoom),
      filled: true,
      stroked: true,
      pickable: true,
      autoHighlight,
      highlightedObjectIndex: highlightIndex >= 0 ? highlightIndex : autoHighlight ? null : -1,
      highlightColor: theme.grids.highlight,
      getFillColor: (f) => gridIndicatorFill(theme, f as GridFeature, indicator, underHeatmap),
      getLineColor: (f) => (indicator ? theme.indicator.line : gridLineColor(theme, f as GridFeature)),
      getLineWidth: 1,
      lineWidthUnits: 'pixels',
      lineWidthMinPixels: 0.8 * pixelScale,
      lineJointRounded: false,
      updateTriggers: {
        getFillColor: [theme.name, indicator, underHeatmap],
        getLineColor: [theme.name, indicator === null],
      },
      onHover: onHover
        ? (info) => {
            onHover((info.object as GridFeature | undefined) ?? null, info as PickingInfo<GridFeature>);
          }
        : undefined,
      onClick: onClick
        ? (info) => {
            if (info.object) onClick(info.object as GridFeature, info as PickingInfo<GridFeature>);
          }
        : undefined,
    }),
  ];
}

export interface GridLabel {
  grid: GridFeature;
  position: [number, number];
  text: string;
}

/** Short form of a grid name for the map: 牛山社区第1网格 → 第1网格 when its village is named anyway. */
export function gridLabelText(grid: GridFeature, mode: 'name' | 'code'): string {
  return mode === 'code' ? grid.properties.code : grid.properties.name;
}

const FONT_SETTINGS = { sdf: true, fontSize: 48, buffer: 8, radius: 12, cutoff: 0.22, smoothing: 0.12 };

export function gridLabelsLayer(labels: readonly GridLabel[], options: { theme: Theme; visible?: boolean; pixelScale?: number }): Layer {
  const { theme, visible = true, pixelScale = 1 } = options;
  return new TextLayer<GridLabel>({
    id: GRID_LABELS_LAYER_ID,
    data: labels as GridLabel[],
    visible: visible && labels.length > 0,
    getPosition: (l) => l.position,
    getText: (l) => l.text,
    getSize: GRID_LABEL_SIZE * pixelScale,
    sizeUnits: 'pixels',
    getColor: theme.indicator.labelText,
    characterSet: 'auto',
    fontFamily: CJK_FONT_FAMILY_CSS,
    fontSettings: FONT_SETTINGS,
    outlineWidth: 4,
    outlineColor: theme.regions.textOutline,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    billboard: true,
    updateTriggers: { getSize: [pixelScale] },
  });
}
