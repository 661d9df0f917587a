// Incidents: a GPU heatmap of the server's bins below INCIDENT_POINTS_MIN_ZOOM (deck.gl
// HeatmapLayer, weight = the bin's count), individual incidents as diamonds coloured by state from
// that zoom on (red ring when overdue), clickable for the detail card.
//
// Both come filtered by the same time window, categories, sources and states; the server does the
// counting (GET /api/incidents/heatmap) and the selection (GET /api/incidents?bbox=).
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { IconLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Heatmap, IncidentPointFeature } from '../../api/client.js';
import { statusGroup } from '../../state/domain.js';
import type { Theme } from '../../theme.js';
import type { MapCrs } from '../crs.js';
import { incidentIconAtlas, incidentIconName } from '../iconAtlas.js';

export const INCIDENT_LAYER_IDS = { heatmap: 'incident-heatmap', points: 'incident-points' } as const;
/** From this zoom on, individual incidents instead of the heatmap. */
export const INCIDENT_POINTS_MIN_ZOOM = 13;
export const HEAT_RADIUS_PX = 26;

export type HeatBin = [number, number, number];

export interface IncidentPoint {
  props: IncidentPointFeature['properties'];
  position: [number, number];
}

/** Bins in map coordinates (a new array per response, so deck.gl re-aggregates only then). */
export function prepareHeatBins(heat: Heatmap, crs: MapCrs): HeatBin[] {
  return heat.bins.map((b) => {
    const [x, y] = crs.toMap(b[0], b[1]);
    return [x, y, b[2]];
  });
}

export function prepareIncidentPoints(features: readonly IncidentPointFeature[], crs: MapCrs): IncidentPoint[] {
  return features.map((f) => ({ props: f.properties, position: crs.toMap(f.geometry.coordinates[0], f.geometry.coordinates[1]) }));
}

export interface IncidentsLayerOptions {
  theme: Theme;
  visible?: boolean;
  /** true: the points are shown (close zoom); false: the heatmap. */
  points: boolean;
  pixelScale?: number;
  onClick?: (incident: IncidentPoint, info: PickingInfo) => void;
}

export function incidentsLayer(bins: readonly HeatBin[], points: readonly IncidentPoint[], options: IncidentsLayerOptions): Layer[] {
  const { theme, visible = true, pixelScale = 1, onClick } = options;
  const atlas = incidentIconAtlas(theme);
  const layers: Layer[] = [
    new HeatmapLayer<HeatBin>({
      id: INCIDENT_LAYER_IDS.heatmap,
      data: bins as HeatBin[],
      visible: visible && !options.points,
      getPosition: (d) => [d[0], d[1]],
      getWeight: (d) => d[2],
      aggregation: 'SUM',
      radiusPixels: HEAT_RADIUS_PX * pixelScale,
      intensity: 1.2,
      threshold: 0.04,
      colorRange: theme.incidents.heat,
      // Re-aggregate soon after a pan/zoom stops (the default waits half a second).
      debounceTimeout: 150,
      updateTriggers: {},
    }),
  ];
  if (!atlas) return layers; // no canvas (tests without a DOM)
  layers.push(
    new IconLayer<IncidentPoint>({
      id: INCIDENT_LAYER_IDS.points,
      data: points as IncidentPoint[],
      visible: visible && options.points,
      iconAtlas: atlas.url,
      iconMapping: atlas.mapping,
      getIcon: (d) => incidentIconName(statusGroup(d.props.status), d.props.overdue),
      getPosition: (d) => d.position,
      // Priority 1 (特急) biggest.
      getSize: (d) => (d.props.priority <= 1 ? 22 : d.props.priority === 2 ? 18 : 15) * pixelScale,
      sizeUnits: 'pixels',
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 120],
      onClick: onClick ? (info) => info.object && onClick(info.object as IncidentPoint, info) : undefined,
      updateTriggers: { getIcon: [theme.name], getSize: [pixelScale] },
    }),
  );
  return layers;
}
