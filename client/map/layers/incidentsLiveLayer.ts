// Incidents drawn over the minute-old points and heatmap: those reported or changed since the page
// opened (live `incident` messages and this page's writes), in their state's colour at any zoom,
// and the overdue ones flagged (red ring) even where the heatmap stands for the rest.
import { IconLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { statusGroup } from '../../state/domain.js';
import type { Theme } from '../../theme.js';
import type { MapCrs } from '../crs.js';
import { incidentIconAtlas, incidentIconName } from '../iconAtlas.js';

export const INCIDENT_LIVE_LAYER_IDS = { live: 'incident-live', overdue: 'incident-overdue' } as const;

export interface LiveIncidentPoint {
  id: number;
  status: string;
  priority: number;
  overdue: boolean;
  /** map coordinates */
  position: [number, number];
  lon: number;
  lat: number;
}

interface Located { id: number; status: string; priority: number; lon: number; lat: number; overdue?: boolean }

export function prepareLiveIncidents(items: readonly Located[], crs: MapCrs, skip?: ReadonlySet<number>): LiveIncidentPoint[] {
  const out: LiveIncidentPoint[] = [];
  for (const i of items) {
    if (skip?.has(i.id)) continue;
    out.push({ id: i.id, status: i.status, priority: i.priority, overdue: Boolean(i.overdue), lon: i.lon, lat: i.lat, position: crs.toMap(i.lon, i.lat) });
  }
  return out;
}

export interface IncidentsLiveLayerOptions {
  theme: Theme;
  visible?: boolean;
  pixelScale?: number;
  onClick?: (p: LiveIncidentPoint) => void;
}

/** [overdue flags, live changes] (the changes on top). */
export function incidentsLiveLayer(live: readonly LiveIncidentPoint[], overdue: readonly LiveIncidentPoint[], options: IncidentsLiveLayerOptions): Layer[] {
  const { theme, visible = true, pixelScale = 1, onClick } = options;
  const atlas = incidentIconAtlas(theme);
  if (!atlas) return []; // no canvas (tests without a DOM)
  const common = {
    iconAtlas: atlas.url,
    iconMapping: atlas.mapping,
    getPosition: (d: LiveIncidentPoint) => d.position,
    sizeUnits: 'pixels' as const,
    pickable: Boolean(onClick),
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120] as [number, number, number, number],
    onClick: onClick ? (info: { object?: LiveIncidentPoint }) => { if (info.object) onClick(info.object); } : undefined,
  };
  return [
    new IconLayer<LiveIncidentPoint>({
      ...common,
      id: INCIDENT_LIVE_LAYER_IDS.overdue,
      data: overdue as LiveIncidentPoint[],
      visible,
      getIcon: (d) => incidentIconName(statusGroup(d.status), true),
      getSize: (d) => (d.priority <= 2 ? 18 : 15) * pixelScale,
      updateTriggers: { getSize: [pixelScale] },
    }),
    new IconLayer<LiveIncidentPoint>({
      ...common,
      id: INCIDENT_LIVE_LAYER_IDS.live,
      data: live as LiveIncidentPoint[],
      visible,
      getIcon: (d) => incidentIconName(statusGroup(d.status), d.overdue),
      // A little bigger than the points beneath, so the newer state covers the older one.
      getSize: (d) => (d.priority <= 1 ? 24 : d.priority === 2 ? 20 : 17) * pixelScale,
      updateTriggers: { getSize: [pixelScale] },
    }),
  ];
}
