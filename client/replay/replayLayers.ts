// deck.gl layers of the replay, bottom to top:
//   replay-paths-ahead      every track, faint (static)
//   replay-gaps             straight connectors across gaps (no positions), thin grey (static)
//   replay-paths-travelled  the part travelled by now, solid (static data; one shader uniform per frame)
//   replay-stops            stops as rings, filled once reached (colours change only when one is reached)
//   replay-incidents        incidents, appearing (fading in) at their reportedAt
//   replay-incident-pulse   a ring expanding around incidents that just appeared
//   replay-follow-halo      halo under the followed worker
//   replay-markers          each worker's position now
//   replay-labels           names beside the markers
//
// Data identity: every `data` array is derived once per loaded `tracks` / `incidents` array (cached
// on it), so a new frame never rebuilds the paths. Per frame, only the moving layers see new
// `updateTriggers` (markers, labels, halo: the time; incidents: the time while one is fading in).
import { IconLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { CJK_FONT_FAMILY_CSS, type RGBA, type Theme } from '../theme.js';
import { TimedPathLayer } from './timedPathLayer.js';
import type { MarkerPosition, PreparedStop, PreparedTrack, ReplayIncident } from './types.js';

export const REPLAY_LAYER_IDS = {
  pathsAhead: 'replay-paths-ahead',
  gaps: 'replay-gaps',
  pathsTravelled: 'replay-paths-travelled',
  stops: 'replay-stops',
  incidents: 'replay-incidents',
  incidentPulse: 'replay-incident-pulse',
  followHalo: 'replay-follow-halo',
  markers: 'replay-markers',
  labels: 'replay-labels',
} as const;

/** Worker colours: distinct on the light basemap, no reds (those mean incidents). */
export const WORKER_PALETTE: readonly RGBA[] = [
  [24, 104, 219, 255],
  [126, 72, 196, 255],
  [0, 150, 136, 255],
  [214, 82, 160, 255],
  [46, 140, 60, 255],
  [0, 120, 170, 255],
  [150, 96, 40, 255],
  [90, 90, 200, 255],
  [20, 170, 200, 255],
  [120, 140, 20, 255],
];

export function workerColor(index: number, alpha = 255): RGBA {
  const c = WORKER_PALETTE[index % WORKER_PALETTE.length];
  return [c[0], c[1], c[2], alpha];
}

export function rgbaCss([r, g, b, a]: RGBA): string {
  return `rgba(${r},${g},${b},${+(a / 255).toFixed(3)})`;
}

/** Incident colours by priority (1 = most urgent). */
export const PRIORITY_COLORS: Record<number, RGBA> = {
  1: [206, 32, 41, 255],
  2: [232, 93, 4, 255],
  3: [214, 150, 0, 255],
  4: [90, 100, 118, 255],
};
export const priorityColor = (p: number): RGBA => PRIORITY_COLORS[p] ?? PRIORITY_COLORS[3];

/** A stretch of a track between two gaps (the paths are split there). */
export interface TrackPiece {
  track: PreparedTrack;
  coordinates: Array<[number, number]>;
  timestamps: Float32Array;
}

/** A straight connector over a gap. */
export interface GapSegment {
  track: PreparedTrack;
  coordinates: [[number, number], [number, number]];
}

interface Derived {
  pieces: TrackPiece[];
  gaps: GapSegment[];
  stops: PreparedStop[];
  /** Start of each stop, sorted (for counting the stops reached). */
  stopStarts: Float64Array;
}

const derivedCache = new WeakMap<readonly PreparedTrack[], Derived>();

/** Pieces, gap connectors and stops of the loaded tracks; computed once per tracks array. */
export function deriveTrackData(tracks: readonly PreparedTrack[]): Derived {
  let d = derivedCache.get(tracks);
  if (d) return d;
  const pieces: TrackPiece[] = [];
  const gaps: GapSegment[] = [];
  const stops: PreparedStop[] = [];
  for (const track of tracks) {
    const n = track.coordinates.length;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const end = i === n - 1 || track.gapAfter[i] === 1;
      if (!end) continue;
      if (i > start) {
        pieces.push({ track, coordinates: track.coordinates.slice(start, i + 1), timestamps: track.relTimes.slice(start, i + 1) });
      }
      if (i < n - 1) gaps.push({ track, coordinates: [track.coordinates[i], track.coordinates[i + 1]] });
      start = i + 1;
    }
    stops.push(...track.stops);
  }
  const stopStarts = Float64Array.from(stops.map((s) => s.fromMs)).sort();
  d = { pieces, gaps, stops, stopStarts };
  derivedCache.set(tracks, d);
  return d;
}

/** Number of sorted values ≤ x. */
function countAtOrBefore(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const incidentTimesCache = new WeakMap<readonly ReplayIncident[], Float64Array>();
function incidentTimes(incidents: readonly ReplayIncident[]): Float64Array {
  let a = incidentTimesCache.get(incidents);
  if (!a) {
    a = Float64Array.from(incidents.map((i) => i.at));
    incidentTimesCache.set(incidents, a);
  }
  return a;
}

/** Incidents reported by `time` (the list is sorted by time). */
export function incidentsShown(incidents: readonly ReplayIncident[], time: number): number {
  return countAtOrBefore(incidentTimes(incidents), time);
}

/** Replay time an incident takes to fade in: about 1.5 s of wall time at any speed, at least a minute. */
export const fadeMs = (speed: number) => Math.max(60_000, speed * 1500);
/** Replay time the "just reported" ring expands: about 3 s of wall time. */
export const pulseMs = (speed: number) => Math.max(120_000, speed * 3000);

// Incident icon: a white-bordered diamond with an exclamation mark, one per priority colour (SVG
// data URLs: nothing fetched from the network).
const ICON_SIZE = 48;
const iconCache = new Map<number, { url: string; id: string; width: number; height: number; anchorY: number }>();
export function incidentIcon(priority: number) {
  let icon = iconCache.get(priority);
  if (!icon) {
    const [r, g, b] = priorityColor(priority);
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_SIZE}" height="${ICON_SIZE}" viewBox="0 0 48 48">` +
      `<path d="M24 3 L45 24 L24 45 L3 24 Z" fill="rgb(${r},${g},${b})" stroke="#fff" stroke-width="4" stroke-linejoin="round"/>` +
      `<rect x="21.5" y="12.5" width="5" height="15" rx="2" fill="#fff"/><circle cx="24" cy="33.5" r="3" fill="#fff"/></svg>`;
    icon = { url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, id: `incident-${priority}`, width: ICON_SIZE, height: ICON_SIZE, anchorY: ICON_SIZE / 2 };
    iconCache.set(priority, icon);
  }
  return icon;
}

const FONT_SETTINGS = { sdf: true, fontSize: 48, buffer: 6, radius: 12, cutoff: 0.22, smoothing: 0.12 };
/** Names are drawn for every worker up to this many; beyond, only for the followed one. */
export const MAX_LABELS = 30;

export interface ReplayFrame {
  /** Replay time, epoch ms. */
  time: number;
  /** Position of each track at `time`, aligned with `tracks`. */
  positions: readonly MarkerPosition[];
}

export interface ReplayLayersInput {
  tracks: readonly PreparedTrack[];
  incidents: readonly ReplayIncident[];
  frame: ReplayFrame;
  speed: number;
  followed: number | null;
  theme: Theme;
  onHover?: (info: PickingInfo) => void;
  onClick?: (info: PickingInfo) => void;
}

const hidden = (state: MarkerPosition['state']) => state === 'before';

export function replayLayers(input: ReplayLayersInput): Layer[] {
  const { tracks, incidents, frame, speed, followed, onHover, onClick } = input;
  if (!tracks.length && !incidents.length) return [];
  const { pieces, gaps, stops, stopStarts } = deriveTrackData(tracks);
  const time = frame.time;
  const positions = frame.positions;
  const origin = tracks[0]?.origin ?? time;
  const currentTime = (time - origin) / 1000;
  const isFollowed = (track: PreparedTrack) => track.workerId === followed;
  const dimOthers = followed !== null && tracks.some(isFollowed);
  const pos = (track: PreparedTrack): [number, number] => {
    const p = positions[track.index];
    return p ? [p.lon, p.lat] : [track.lons[0], track.lats[0]];
  };
  const state = (track: PreparedTrack) => positions[track.index]?.state ?? 'before';

  // Stops: colours change only when one more stop is reached.
  const stopsReached = countAtOrBefore(stopStarts, time);
  // Incidents: the time is a trigger only while the newest shown is still fading in.
  const times = incidentTimes(incidents);
  const shown = countAtOrBefore(times, time);
  const fade = fadeMs(speed);
  const fading = shown > 0 && time - times[shown - 1] < fade;
  const incidentTrigger = fading ? time : `n${shown}`;
  const pulse = pulseMs(speed);
  const pulsing: ReplayIncident[] = [];
  for (let i = shown - 1; i >= 0 && time - times[i] < pulse; i--) pulsing.push(incidents[i]);

  // Marker colours and sizes depend on each worker's state, which changes far less often than the
  // time: a signature of the states is their trigger (positions alone follow the time).
  let states = '';
  for (const p of positions) states += p.state[0];
  const followedTrack = dimOthers ? tracks.find(isFollowed)! : null;
  // Many workers: what is still ahead fainter, stops still ahead not drawn (they would be noise).
  const crowded = tracks.length > 20;
  const aheadAlpha = crowded ? 45 : 75;
  const futureStopAlpha = crowded ? 0 : 80;
  const labelled = tracks.length <= MAX_LABELS ? tracks : followedTrack ? [followedTrack] : [];
  const interactive = { pickable: true, onHover, onClick };

  return [
    new PathLayer<TrackPiece>({
      id: REPLAY_LAYER_IDS.pathsAhead,
      data: pieces,
      getPath: (p) => p.coordinates,
      getColor: (p) => workerColor(p.track.index, dimOthers && !isFollowed(p.track) ? 30 : aheadAlpha),
      getWidth: (p) => (isFollowed(p.track) ? 3.5 : 2),
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
      updateTriggers: { getColor: [followed, dimOthers, aheadAlpha], getWidth: [followed] },
    }),
    new PathLayer<GapSegment>({
      id: REPLAY_LAYER_IDS.gaps,
      data: gaps,
      getPath: (g) => g.coordinates,
      getColor: [120, 128, 140, 110],
      getWidth: 1.5,
      widthUnits: 'pixels',
    }),
    new TimedPathLayer<TrackPiece>({
      id: REPLAY_LAYER_IDS.pathsTravelled,
      data: pieces,
      currentTime,
      getPath: (p) => p.coordinates,
      getTimestamps: (p) => p.timestamps,
      getColor: (p) => workerColor(p.track.index, dimOthers && !isFollowed(p.track) ? 90 : 225),
      getWidth: (p) => (isFollowed(p.track) ? 4.5 : 2.5),
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
      updateTriggers: { getColor: [followed, dimOthers], getWidth: [followed] },
    }),
    new ScatterplotLayer<PreparedStop>({
      id: REPLAY_LAYER_IDS.stops,
      data: stops,
      getPosition: (s) => [s.lon, s.lat],
      // 4 px for a 3-minute stop, growing with the square root of its length, 8 px at most.
      getRadius: (s) => Math.min(8, 3 + 0.6 * Math.sqrt(s.minutes)),
      radiusUnits: 'pixels',
      stroked: true,
      filled: true,
      // Reached: a clear ring; still ahead: a faint outline.
      getFillColor: (s) => (s.fromMs <= time ? [255, 255, 255, 235] : [255, 255, 255, 0]),
      getLineColor: (s) => workerColor(s.trackIndex, s.fromMs <= time ? 255 : futureStopAlpha),
      getLineWidth: (s) => (s.fromMs <= time ? 2 : 1),
      lineWidthUnits: 'pixels',
      ...interactive,
      updateTriggers: { getFillColor: stopsReached, getLineColor: [stopsReached, futureStopAlpha], getLineWidth: stopsReached },
    }),
    new IconLayer<ReplayIncident>({
      id: REPLAY_LAYER_IDS.incidents,
      data: incidents as ReplayIncident[],
      getPosition: (i) => [i.lon, i.lat],
      getIcon: (i) => incidentIcon(i.priority),
      // Not drawn (size 0: not pickable either) before it is reported; then fading in.
      getSize: (i) => (i.at <= time ? 22 : 0),
      getColor: (i) => [255, 255, 255, Math.round(255 * Math.min(1, Math.max(0, (time - i.at) / fade)))],
      sizeUnits: 'pixels',
      ...interactive,
      updateTriggers: { getSize: incidentTrigger, getColor: incidentTrigger },
    }),
    new ScatterplotLayer<ReplayIncident>({
      id: REPLAY_LAYER_IDS.incidentPulse,
      data: pulsing,
      getPosition: (i) => [i.lon, i.lat],
      getRadius: (i) => 10 + 26 * Math.min(1, (time - i.at) / pulse),
      radiusUnits: 'pixels',
      filled: false,
      stroked: true,
      getLineColor: (i) => {
        const c = priorityColor(i.priority);
        return [c[0], c[1], c[2], Math.round(230 * (1 - Math.min(1, (time - i.at) / pulse)))];
      },
      getLineWidth: 2.5,
      lineWidthUnits: 'pixels',
      updateTriggers: { getRadius: time, getLineColor: time },
    }),
    new ScatterplotLayer<PreparedTrack>({
      id: REPLAY_LAYER_IDS.followHalo,
      data: followedTrack && !hidden(state(followedTrack)) ? [followedTrack] : [],
      getPosition: pos,
      getRadius: 20,
      radiusUnits: 'pixels',
      getFillColor: (t) => workerColor(t.index, 55),
      stroked: true,
      getLineColor: (t) => workerColor(t.index, 160),
      getLineWidth: 1.5,
      lineWidthUnits: 'pixels',
      updateTriggers: { getPosition: time },
    }),
    new ScatterplotLayer<PreparedTrack>({
      id: REPLAY_LAYER_IDS.markers,
      data: tracks as PreparedTrack[],
      getPosition: pos,
      getRadius: (t) => (hidden(state(t)) ? 0 : isFollowed(t) ? 9 : 7),
      radiusUnits: 'pixels',
      stroked: true,
      filled: true,
      getFillColor: (t) => {
        const s = state(t);
        if (s === 'gap') return [255, 255, 255, 255];
        if (s === 'after') return [150, 158, 170, 255];
        return workerColor(t.index);
      },
      getLineColor: (t) => {
        const s = state(t);
        if (s === 'gap') return workerColor(t.index);
        return isFollowed(t) ? [20, 28, 40, 255] : [255, 255, 255, 255];
      },
      getLineWidth: (t) => (state(t) === 'gap' ? 3 : isFollowed(t) ? 3 : 2),
      lineWidthUnits: 'pixels',
      ...interactive,
      updateTriggers: {
        getPosition: time,
        getRadius: [states, followed],
        getFillColor: states,
        getLineColor: [states, followed],
        getLineWidth: [states, followed],
      },
    }),
    new TextLayer<PreparedTrack>({
      id: REPLAY_LAYER_IDS.labels,
      data: labelled as PreparedTrack[],
      getPosition: pos,
      getText: (t) => t.name,
      getSize: (t) => (isFollowed(t) ? 14 : 12),
      sizeUnits: 'pixels',
      getColor: (t) => (hidden(state(t)) ? [0, 0, 0, 0] : [26, 35, 48, 255]),
      getPixelOffset: (t) => [isFollowed(t) ? 14 : 12, 0],
      getTextAnchor: 'start',
      getAlignmentBaseline: 'center',
      background: true,
      getBackgroundColor: (t) => (hidden(state(t)) ? [0, 0, 0, 0] : [255, 255, 255, 225]),
      getBorderColor: (t) => (hidden(state(t)) ? [0, 0, 0, 0] : workerColor(t.index)),
      getBorderWidth: 1,
      backgroundPadding: [4, 2, 4, 2],
      characterSet: 'auto',
      fontFamily: CJK_FONT_FAMILY_CSS,
      fontWeight: 600,
      fontSettings: FONT_SETTINGS,
      billboard: true,
      updateTriggers: {
        getPosition: time,
        getColor: states,
        getBackgroundColor: states,
        getBorderColor: states,
        getSize: followed,
        getPixelOffset: followed,
      },
    }),
  ];
}
