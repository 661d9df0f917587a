// Picking the place of a new incident on the map: while active, a see-through area over the county
// catches the click (above every other layer, so grids and points do not take it) and a ring marks
// the place picked.
import { ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Theme } from '../../theme.js';
import type { MapCrs } from '../crs.js';

export const INCIDENT_PICK_LAYER_IDS = { area: 'incident-pick-area', marker: 'incident-pick-marker' } as const;

/** Wider than the county (WGS84): the server says whether the point is inside it. */
const AREA: [number, number, number, number] = [117.5, 33.8, 120.0, 35.3];

export interface IncidentsPickLayerOptions {
  theme: Theme;
  crs: MapCrs;
  /** Picking now: clicks on the map pick a place. */
  active: boolean;
  picked: [number, number] | null;
  onPick?: (lonLat: [number, number]) => void;
}

export function incidentsPickLayer({ theme, crs, active, picked, onPick }: IncidentsPickLayerOptions): Layer[] {
  const layers: Layer[] = [];
  if (active && onPick) {
    const [w, s, e, n] = AREA;
    layers.push(new SolidPolygonLayer<{ polygon: [number, number][] }>({
      id: INCIDENT_PICK_LAYER_IDS.area,
      data: [{ polygon: [[w, s], [e, s], [e, n], [w, n], [w, s]].map(([x, y]) => crs.toMap(x, y)) }],
      getPolygon: (d) => d.polygon,
      // Almost transparent: drawn (so it can be picked) without tinting the map.
      getFillColor: [0, 0, 0, 1],
      pickable: true,
      onClick: (info) => {
        if (!info.coordinate) return;
        const [lon, lat] = crs.fromMap(info.coordinate[0], info.coordinate[1]);
        onPick([+lon.toFixed(6), +lat.toFixed(6)]);
      },
    }));
  }
  if (picked) {
    layers.push(new ScatterplotLayer<[number, number]>({
      id: INCIDENT_PICK_LAYER_IDS.marker,
      data: [crs.toMap(picked[0], picked[1])],
      getPosition: (d) => d,
      getRadius: 9,
      radiusUnits: 'pixels',
      stroked: true,
      filled: true,
      getFillColor: [...theme.incidents.status.new.slice(0, 3), 90] as [number, number, number, number],
      getLineColor: theme.incidents.status.new,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
    }));
  }
  return layers;
}
