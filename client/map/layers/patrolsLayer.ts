// Patrol tracks of today (GET /api/tracks) as paths, one colour per worker, with the stops
// (≥ 3 minutes in one place) as small rings. Which workers' tracks are fetched is decided by the
// caller (useCommandLayers): the selected grid's workers, a selected worker, or the workers in view
// at close zoom — never the whole county at once.
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Track } from '../../api/client.js';
import type { RGBA, Theme } from '../../theme.js';
import type { MapCrs } from '../crs.js';

export const PATROL_LAYER_IDS = { tracks: 'patrol-tracks', stops: 'patrol-stops' } as const;

export interface TrackPath {
  track: Track;
  path: Array<[number, number]>;
  color: RGBA;
}

export interface TrackStop {
  track: Track;
  position: [number, number];
  minutes: number;
}

export function prepareTracks(tracks: readonly Track[], crs: MapCrs, theme: Theme): { paths: TrackPath[]; stops: TrackStop[] } {
  const paths: TrackPath[] = [];
  const stops: TrackStop[] = [];
  tracks.forEach((track) => {
    if (track.path.length < 2) return;
    const color = theme.tracks[track.workerId % theme.tracks.length];
    paths.push({ track, path: track.path.map((p) => crs.toMap(p[0], p[1])), color });
    for (const s of track.stops) stops.push({ track, position: crs.toMap(s.lon, s.lat), minutes: s.minutes });
  });
  return { paths, stops };
}

export interface PatrolsLayerOptions {
  theme: Theme;
  visible?: boolean;
  pixelScale?: number;
  onClick?: (track: Track, info: PickingInfo) => void;
}

export function patrolsLayer(data: { paths: readonly TrackPath[]; stops: readonly TrackStop[] }, options: PatrolsLayerOptions): Layer[] {
  const { theme, visible = true, pixelScale = 1, onClick } = options;
  return [
    new PathLayer<TrackPath>({
      id: PATROL_LAYER_IDS.tracks,
      data: data.paths as TrackPath[],
      visible,
      getPath: (d) => d.path,
      getColor: (d) => d.color,
      getWidth: 3 * pixelScale,
      widthUnits: 'pixels',
      capRounded: true,
      jointRounded: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 140],
      onClick: onClick ? (info) => info.object && onClick((info.object as TrackPath).track, info) : undefined,
    }),
    new ScatterplotLayer<TrackStop>({
      id: PATROL_LAYER_IDS.stops,
      data: data.stops as TrackStop[],
      visible,
      getPosition: (d) => d.position,
      getRadius: (d) => Math.min(9, 3 + d.minutes / 10) * pixelScale,
      radiusUnits: 'pixels',
      getFillColor: theme.workers.outline,
      getLineColor: (d) => theme.tracks[d.track.workerId % theme.tracks.length],
      getLineWidth: 2 * pixelScale,
      lineWidthUnits: 'pixels',
      stroked: true,
      updateTriggers: { getRadius: [pixelScale], getLineColor: [theme.name] },
    }),
  ];
}
