// The grid polygons (网格): urban and rural in two fill colours with outlines, hover highlight.
//
// Data identity: `data` must be the same array between renders (MapView memoises it per fetch),
// so hovering never rebuilds geometry. The hover highlight is deck.gl's `autoHighlight` (done on the
// GPU from the picking colour, no attribute update); colours depend on the theme only, and are
// recomputed through `updateTriggers` when the theme changes.
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { GridFeature } from '../../api/client.js';
import type { RGBA, Theme } from '../../theme.js';

export const GRIDS_LAYER_ID = 'grids';

export interface GridsLayerOptions {
  theme: Theme;
  visible?: boolean;
  /** Map zoom (half steps are enough): fills grow lighter when zoomed in, to show the streets. */
  zoom?: number;
  /** Called with the hovered grid (or null) and the pointer position in map-container pixels. */
  onHover?: (grid: GridFeature | null, info: PickingInfo<GridFeature>) => void;
  onClick?: (grid: GridFeature, info: PickingInfo<GridFeature>) => void;
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

export function gridsLayer(data: readonly GridFeature[], options: GridsLayerOptions): Layer[] {
  const { theme, visible = true, zoom, onHover, onClick } = options;
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
      autoHighlight: true,
      highlightColor: theme.grids.highlight,
      getFillColor: (f) => gridFillColor(theme, f as GridFeature),
      getLineColor: (f) => gridLineColor(theme, f as GridFeature),
      getLineWidth: 1,
      lineWidthUnits: 'pixels',
      lineWidthMinPixels: 0.8,
      lineJointRounded: false,
      updateTriggers: {
        getFillColor: [theme.name],
        getLineColor: [theme.name],
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
