// Loads the tracks (and the incidents of the window around them) for a selection and a range, and
// drives one clock for all of them. Per animation frame only `clock` changes; `tracks` and
// `incidents` keep their identity until the next load (deck.gl layers rely on it).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLatest } from '../useLatest.js';
import { api as defaultApi, type ApiClient } from '../api/client.js';
import { isLoadable, loadIncidents, loadTracks, selectionKey } from './api.js';
import { ReplayClock, SPEEDS, type ClockState, type FrameScheduler } from './clock.js';
import { GAP_SECONDS, prepareTrack, tracksBBox } from './interpolate.js';
import type { PreparedTrack, ReplayIncident, ReplayRange, ReplaySelection } from './types.js';

export type ReplayStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface UseReplayOptions {
  selection: ReplaySelection | null;
  range: ReplayRange;
  api?: ApiClient;
  gapSeconds?: number;
  /** Frame scheduler of the clock (tests pass a fake one). */
  scheduler?: FrameScheduler;
  initialSpeed?: number;
}

export interface ReplayState {
  status: ReplayStatus;
  error: Error | null;
  tracks: PreparedTrack[];
  incidents: ReplayIncident[];
  /** Incidents matched in the window and box (may exceed `incidents.length` when truncated). */
  incidentsTotal: number;
  incidentsTruncated: boolean;
  /** The range the tracks were loaded for. */
  range: ReplayRange;
  clock: ClockState;
  play(): void;
  pause(): void;
  toggle(): void;
  seek(time: number): void;
  setSpeed(speed: number): void;
  reload(): void;
}

interface Loaded {
  key: string;
  status: ReplayStatus;
  error: Error | null;
  tracks: PreparedTrack[];
  incidents: ReplayIncident[];
  incidentsTotal: number;
  incidentsTruncated: boolean;
}

const EMPTY: PreparedTrack[] = [];
const NO_INCIDENTS: ReplayIncident[] = [];
/** Playback starts this long before the first position, so the first markers can be seen appearing. */
const LEAD_IN_MS = 60_000;

export function useReplay({
  selection,
  range,
  api = defaultApi,
  gapSeconds = GAP_SECONDS,
  scheduler,
  initialSpeed = SPEEDS[SPEEDS.length - 1],
}: UseReplayOptions): ReplayState {
  const [clock] = useState(() => new ReplayClock({ from: range.from, to: range.to, speed: initialSpeed, scheduler }));
  const [clockState, setClockState] = useState<ClockState>(() => clock.current);
  useEffect(() => clock.subscribe(setClockState), [clock]);
  useEffect(() => () => clock.dispose(), [clock]);

  const [attempt, setAttempt] = useState(0);
  const key = `${selectionKey(selection)}|${range.from}|${range.to}|${gapSeconds}`;
  const [loaded, setLoaded] = useState<Loaded>({
    key: '',
    status: 'idle',
    error: null,
    tracks: EMPTY,
    incidents: NO_INCIDENTS,
    incidentsTotal: 0,
    incidentsTruncated: false,
  });
  const selectionRef = useLatest(selection);

  useEffect(() => {
    const sel = selectionRef.current;
    clock.setRange(range.from, range.to);
    if (!isLoadable(sel)) {
      setLoaded({ key, status: 'idle', error: null, tracks: EMPTY, incidents: NO_INCIDENTS, incidentsTotal: 0, incidentsTruncated: false });
      return;
    }
    const ac = new AbortController();
    setLoaded({ key, status: 'loading', error: null, tracks: EMPTY, incidents: NO_INCIDENTS, incidentsTotal: 0, incidentsTruncated: false });
    (async () => {
      const raw = await loadTracks(api, sel, range, ac.signal);
      const tracks = raw
        .filter((t) => t.path.length > 0)
        .map((t, index) => prepareTrack(t, { index, origin: range.from, gapSeconds }));
      // Start just before the first position of anyone.
      const first = tracks.reduce((m, t) => Math.min(m, t.startMs), Infinity);
      clock.setRange(range.from, range.to, Number.isFinite(first) ? Math.max(range.from, first - LEAD_IN_MS) : range.from);
      setLoaded({ key, status: 'ready', error: null, tracks, incidents: NO_INCIDENTS, incidentsTotal: 0, incidentsTruncated: false });
      // Incidents around the tracks (or the chosen area) in the same window: they never hold up the tracks.
      const bbox =
        tracksBBox(tracks) ??
        (sel.kind === 'grid' ? sel.grid.bbox : sel.kind === 'village' ? sel.village.bbox : undefined) ??
        null;
      if (!bbox) return;
      try {
        const inc = await loadIncidents(api, range, bbox, ac.signal);
        setLoaded((prev) =>
          prev.key === key
            ? { ...prev, incidents: inc.incidents, incidentsTotal: inc.total, incidentsTruncated: inc.truncated }
            : prev,
        );
      } catch (err) {
        if (!ac.signal.aborted) console.warn('replay: incidents not loaded:', err);
      }
    })().catch((err: unknown) => {
      if (ac.signal.aborted) return;
      setLoaded({
        key,
        status: 'error',
        error: err instanceof Error ? err : new Error(String(err)),
        tracks: EMPTY,
        incidents: NO_INCIDENTS,
        incidentsTotal: 0,
        incidentsTruncated: false,
      });
    });
    return () => ac.abort();
    // `key` covers selection (by ids), range and gapSeconds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, api, attempt, clock]);

  const play = useCallback(() => clock.play(), [clock]);
  const pause = useCallback(() => clock.pause(), [clock]);
  const toggle = useCallback(() => clock.toggle(), [clock]);
  const seek = useCallback((t: number) => clock.seek(t), [clock]);
  const setSpeed = useCallback((s: number) => clock.setSpeed(s), [clock]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // A load for an older key is never shown as the current one.
  const current = loaded.key === key ? loaded : null;
  const loadedRange = useMemo(() => ({ from: range.from, to: range.to }), [range.from, range.to]);
  return {
    status: current ? current.status : isLoadable(selection) ? 'loading' : 'idle',
    error: current?.error ?? null,
    tracks: current?.tracks ?? EMPTY,
    incidents: current?.incidents ?? NO_INCIDENTS,
    incidentsTotal: current?.incidentsTotal ?? 0,
    incidentsTruncated: current?.incidentsTruncated ?? false,
    range: loadedRange,
    clock: clockState,
    play,
    pause,
    toggle,
    seek,
    setSpeed,
    reload,
  };
}
