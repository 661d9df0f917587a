// Live positions of the grid workers (socket.io, client/live/useLivePositions.ts), coloured by
// state: patrolling 巡查中, idle 静止, outside 离开责任网格, offline 离线.
//
// The performance point of the whole map: positions of ~2,900 workers arrive several times a
// second. Only this layer gets a new `data` array (the store's `workers`, whose identity changes
// only when a message changed something); every other layer is memoised on its own inputs and
// handed to deck.gl as the very same instance, so deck.gl does not even diff its props.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { LIVE_STATES, type LiveWorkerTuple } from '../../../server/schemas/live.js';
import type { RGBA, Theme } from '../../theme.js';
import type { MapCrs } from '../crs.js';

export const WORKERS_LAYER_ID = 'workers';

export function workerStateColor(theme: Theme, stateIndex: number): RGBA {
  const state = LIVE_STATES[stateIndex] ?? 'offline';
  return theme.workers[state];
}

export interface WorkersLayerOptions {
  theme: Theme;
  crs: MapCrs;
  visible?: boolean;
  pixelScale?: number;
  /** Zoomed in: bigger markers. */
  zoom: number;
  onClick?: (worker: LiveWorkerTuple, info: PickingInfo) => void;
}

export function workersLayer(workers: readonly LiveWorkerTuple[], options: WorkersLayerOptions): Layer {
  const { theme, crs, visible = true, pixelScale = 1, zoom, onClick } = options;
  const r = (zoom >= 14 ? 6.5 : zoom >= 12 ? 5 : 3.4) * pixelScale;
  return new ScatterplotLayer<LiveWorkerTuple>({
    id: WORKERS_LAYER_ID,
    data: workers as LiveWorkerTuple[],
    visible,
    getPosition: (t) => crs.toMap(t[1], t[2]),
    // Offline workers recede: smaller; outside the assigned grid stands out: bigger.
    getRadius: (t) => (t[4] === 2 ? 0.75 : t[4] === 3 ? 1.3 : 1),
    radiusScale: r,
    radiusUnits: 'pixels',
    getFillColor: (t) => workerStateColor(theme, t[4]),
    getLineColor: theme.workers.outline,
    getLineWidth: 1.4 * pixelScale,
    lineWidthUnits: 'pixels',
    stroked: true,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 160],
    onClick: onClick ? (info) => info.object && onClick(info.object as LiveWorkerTuple, info) : undefined,
    updateTriggers: {
      getPosition: [crs.name],
      getFillColor: [theme.name],
      getLineWidth: [pixelScale],
    },
  });
}
