// The replay layers' data identity: a new frame must not rebuild the paths. deck.gl compares
// `data` by identity and recomputes an attribute only when its accessor's updateTrigger changes, so
// this checks exactly those two things between two frames.
import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import { positionsAt, prepareTrack } from '../../client/replay/interpolate.js';
import {
  deriveTrackData,
  fadeMs,
  incidentIcon,
  incidentsShown,
  REPLAY_LAYER_IDS,
  replayLayers,
  type TrackPiece,
} from '../../client/replay/replayLayers.js';
import { lightTheme } from '../../client/theme.js';
import type { ReplayIncident, Track } from '../../client/replay/types.js';

const T0 = Date.UTC(2026, 10, 27, 0, 0, 0) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();
const origin = T0 * 1000 - 60_000;

const raw: Track[] = [
  {
    workerId: 7,
    name: '王芳',
    gridId: 3,
    path: [
      [118.76, 34.46, T0],
      [118.761, 34.46, T0 + 60],
      [118.761, 34.461, T0 + 120],
      [118.77, 34.465, T0 + 2220], // after a 35-minute gap
      [118.771, 34.465, T0 + 2280],
    ],
    points: 100,
    distanceM: 2000,
    stops: [{ lon: 118.761, lat: 34.461, from: iso(T0 + 60), to: iso(T0 + 120), minutes: 3 }],
  },
  {
    workerId: 8,
    name: '李强',
    gridId: 3,
    path: [
      [118.75, 34.45, T0 + 300],
      [118.752, 34.45, T0 + 600],
    ],
    points: 20,
    distanceM: 190,
    stops: [],
  },
];
const tracks = raw.map((t, index) => prepareTrack(t, { index, origin }));
const incidents: ReplayIncident[] = [
  { id: 1, code: 'A', category: '环境卫生', source: 'grid_worker', status: 'closed', priority: 2, lon: 118.76, lat: 34.46, at: (T0 + 100) * 1000 },
  { id: 2, code: 'B', category: '占道经营', source: 'hotline', status: 'reported', priority: 1, lon: 118.765, lat: 34.462, at: (T0 + 2000) * 1000 },
];

function layersAt(timeS: number, followed: number | null = null, speed = 60): Map<string, Layer> {
  const time = timeS * 1000;
  const layers = replayLayers({ tracks, incidents, frame: { time, positions: positionsAt(tracks, time) }, speed, followed, theme: lightTheme });
  return new Map(layers.map((l) => [l.id, l]));
}

const triggers = (l: Layer) => l.props.updateTriggers as Record<string, unknown>;
/** A layer's props by name (accessors are not on the base Layer type). */
const P = (l: Layer) => l.props as unknown as Record<string, unknown>;

describe('replay layers', () => {
  it('splits the paths at gaps and draws a connector over each gap', () => {
    const { pieces, gaps, stops } = deriveTrackData(tracks);
    expect(pieces.map((p) => [p.track.workerId, p.coordinates.length])).toEqual([
      [7, 3],
      [7, 2],
      [8, 2],
    ]);
    expect(Array.from(pieces[1].timestamps)).toEqual([2280, 2340]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0].coordinates).toEqual([
      [118.761, 34.461],
      [118.77, 34.465],
    ]);
    expect(stops).toHaveLength(1);
    // Derived once per tracks array.
    expect(deriveTrackData(tracks)).toBe(deriveTrackData(tracks));
  });

  it('has every layer, bottom to top', () => {
    expect([...layersAt(T0 + 30).keys()]).toEqual([
      REPLAY_LAYER_IDS.pathsAhead,
      REPLAY_LAYER_IDS.gaps,
      REPLAY_LAYER_IDS.pathsTravelled,
      REPLAY_LAYER_IDS.stops,
      REPLAY_LAYER_IDS.incidents,
      REPLAY_LAYER_IDS.incidentPulse,
      REPLAY_LAYER_IDS.followHalo,
      REPLAY_LAYER_IDS.markers,
      REPLAY_LAYER_IDS.labels,
    ]);
    expect(replayLayers({ tracks: [], incidents: [], frame: { time: 0, positions: [] }, speed: 1, followed: null, theme: lightTheme })).toEqual([]);
  });

  it('keeps data identity between frames: only the moving layers get new triggers', () => {
    const a = layersAt(T0 + 30);
    const b = layersAt(T0 + 31);
    for (const id of [REPLAY_LAYER_IDS.pathsAhead, REPLAY_LAYER_IDS.gaps, REPLAY_LAYER_IDS.pathsTravelled, REPLAY_LAYER_IDS.stops, REPLAY_LAYER_IDS.incidents, REPLAY_LAYER_IDS.markers]) {
      expect(b.get(id)!.props.data, id).toBe(a.get(id)!.props.data);
    }
    // Static layers: same triggers.
    for (const id of [REPLAY_LAYER_IDS.pathsAhead, REPLAY_LAYER_IDS.pathsTravelled, REPLAY_LAYER_IDS.stops]) {
      expect(triggers(b.get(id)!), id).toEqual(triggers(a.get(id)!));
    }
    // The travelled part moves by a uniform only.
    expect(a.get(REPLAY_LAYER_IDS.pathsTravelled)!.props).toMatchObject({ currentTime: 90 });
    expect(b.get(REPLAY_LAYER_IDS.pathsTravelled)!.props).toMatchObject({ currentTime: 91 });
    // Markers: positions follow the time; colours only the states.
    const ma = triggers(a.get(REPLAY_LAYER_IDS.markers)!);
    const mb = triggers(b.get(REPLAY_LAYER_IDS.markers)!);
    expect(mb.getPosition).not.toEqual(ma.getPosition);
    expect(mb.getFillColor).toEqual(ma.getFillColor);
    // Incidents: nothing fading in at either time → same trigger.
    expect(triggers(b.get(REPLAY_LAYER_IDS.incidents)!)).toEqual(triggers(a.get(REPLAY_LAYER_IDS.incidents)!));
  });

  it('markers: hidden before the first position, hollow in a gap; state changes retrigger colours', () => {
    const early = layersAt(T0 + 30);
    const markers = early.get(REPLAY_LAYER_IDS.markers)!;
    const getRadius = P(markers).getRadius as (t: unknown) => number;
    const getFill = P(markers).getFillColor as (t: unknown) => number[];
    expect(getRadius(tracks[0])).toBeGreaterThan(0);
    expect(getRadius(tracks[1])).toBe(0); // worker 8 starts at T0+300
    const inGap = layersAt(T0 + 1000);
    const fillGap = P(inGap.get(REPLAY_LAYER_IDS.markers)!).getFillColor as (t: unknown) => number[];
    expect(fillGap(tracks[0])).toEqual([255, 255, 255, 255]);
    expect(getFill(tracks[0])).not.toEqual([255, 255, 255, 255]);
    expect(triggers(inGap.get(REPLAY_LAYER_IDS.markers)!).getFillColor).not.toEqual(triggers(markers).getFillColor);
    const getPosition = P(inGap.get(REPLAY_LAYER_IDS.markers)!).getPosition as (t: unknown) => number[];
    expect(getPosition(tracks[0])).toEqual([118.761, 34.461]);
  });

  it('incidents appear at their time, fading in, with a ring expanding', () => {
    const before = layersAt(T0 + 99).get(REPLAY_LAYER_IDS.incidents)!;
    const size = P(before).getSize as (i: ReplayIncident) => number;
    expect(size(incidents[0])).toBe(0);
    expect(incidentsShown(incidents, (T0 + 99) * 1000)).toBe(0);

    const justAfter = layersAt(T0 + 115);
    const inc = justAfter.get(REPLAY_LAYER_IDS.incidents)!;
    expect((P(inc).getSize as (i: ReplayIncident) => number)(incidents[0])).toBeGreaterThan(0);
    expect((P(inc).getSize as (i: ReplayIncident) => number)(incidents[1])).toBe(0);
    const alpha = (P(inc).getColor as (i: ReplayIncident) => number[])(incidents[0])[3];
    expect(alpha).toBeGreaterThan(0);
    expect(alpha).toBeLessThan(255); // 15 s into a fade of fadeMs(60) = 90 s
    expect(fadeMs(60)).toBe(90_000);
    expect(fadeMs(1)).toBe(60_000);
    // While fading, the time is the trigger.
    expect(triggers(inc).getColor).toBe((T0 + 115) * 1000);
    expect(justAfter.get(REPLAY_LAYER_IDS.incidentPulse)!.props.data).toEqual([incidents[0]]);

    const later = layersAt(T0 + 1000);
    const done = later.get(REPLAY_LAYER_IDS.incidents)!;
    expect((P(done).getColor as (i: ReplayIncident) => number[])(incidents[0])[3]).toBe(255);
    expect(triggers(done).getColor).toBe('n1');
    expect(later.get(REPLAY_LAYER_IDS.incidentPulse)!.props.data).toEqual([]);
    expect(incidentIcon(1).url.startsWith('data:image/svg+xml')).toBe(true);
  });

  it('stops change colour only when one is reached', () => {
    const a = triggers(layersAt(T0 + 10).get(REPLAY_LAYER_IDS.stops)!);
    const b = triggers(layersAt(T0 + 50).get(REPLAY_LAYER_IDS.stops)!);
    const c = triggers(layersAt(T0 + 70).get(REPLAY_LAYER_IDS.stops)!);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('following a worker: halo, wider path, the others dimmed; labels for the workers', () => {
    const layers = layersAt(T0 + 30, 7);
    expect(layers.get(REPLAY_LAYER_IDS.followHalo)!.props.data).toEqual([tracks[0]]);
    const width = P(layers.get(REPLAY_LAYER_IDS.pathsTravelled)!).getWidth as (p: TrackPiece) => number;
    const { pieces } = deriveTrackData(tracks);
    expect(width(pieces[0])).toBeGreaterThan(width(pieces[2]));
    expect(triggers(layers.get(REPLAY_LAYER_IDS.pathsTravelled)!).getWidth).toEqual([7]);
    expect(layers.get(REPLAY_LAYER_IDS.labels)!.props.data).toHaveLength(2);
    expect(layersAt(T0 + 30, null).get(REPLAY_LAYER_IDS.followHalo)!.props.data).toEqual([]);
  });
});
