// /replay — patrol replay (巡查轨迹回放): pick workers (or a whole grid or village) and a time range;
// all of them move in sync on the map at ×1–×60, the incidents of the window appear when they were
// reported; follow one worker; distance and stops per worker.
//
// Mount it as the whole page for /replay, inside <I18nProvider> (the locale is the app's), with the
// theme's CSS variables applied (applyTheme(lightTheme), as main.tsx does for every route):
//   <ReplayPage />                                   // state from location.search, kept in step
//   <ReplayPage theme={lightTheme} onBack={() => navigate('/', { keepQuery: false })} />
// Link to a prepared replay: /replay?worker=12,15&from=<ISO>&to=<ISO>[&follow=12], or grid=<id>,
// or village=<12-digit code> (see url.ts).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLatest } from '../useLatest.js';
import type { PickingInfo } from '@deck.gl/core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import { api as defaultApi, type ApiClient, type GridFeature, type GridProperties, type RegionFeature } from '../api/client.js';
import { useLocale } from '../i18n/index.js';
import { lightTheme, type Theme } from '../theme.js';
import { selectionKey } from './api.js';
import { positionsAt, tracksBBox } from './interpolate.js';
import { ReplayMap, type LngLatBBox, type MapPadding } from './ReplayMap.js';
import { ReplayPanel } from './ReplayPanel.js';
import { incidentsShown, priorityColor, replayLayers, rgbaCss, workerColor, type ReplayFrame } from './replayLayers.js';
import { replayTranslateLoose, useReplayT } from './strings.js';
import { formatDuration, formatKm, shortAreaName } from './summary.js';
import { createReplayTestHook, type ReplayTestHook } from './testHook.js';
import { DEFAULT_TIME_ZONE, zonedDate, zonedTime } from './time.js';
import type { PreparedStop, PreparedTrack, ReplayIncident, ReplayRange, ReplaySelection } from './types.js';
import { parseReplayQuery, replayQuery } from './url.js';
import { useReplay } from './useReplay.js';
import { useReplayContext } from './useReplayContext.js';
import './replay.css';

export interface ReplayPageProps {
  theme?: Theme;
  api?: ApiClient;
  /** Time zone of the date and time fields and of every time shown (the server's, GET /api/config). */
  timeZone?: string;
  /** Initial state as a query string (default: the page's `location.search`). */
  search?: string;
  /** Keep the address in step with the selection, range and followed worker (default true). */
  syncUrl?: boolean;
  /** Where the "back" link of the header goes (default "/", the operator view). */
  backHref?: string;
  /** Client-side navigation for the back link (e.g. router.ts `navigate('/')`); default: a normal link. */
  onBack?: () => void;
}

/** Space the panel (left) and the playback bar (bottom) take over the map. */
const MAP_PADDING: MapPadding = { top: 60, right: 56, bottom: 112, left: 368 };

interface HoverState {
  x: number;
  y: number;
  layerId: string;
  object: unknown;
}

export function ReplayPage({
  theme = lightTheme,
  api = defaultApi,
  timeZone = DEFAULT_TIME_ZONE,
  search,
  syncUrl = true,
  backHref = '/',
  onBack,
}: ReplayPageProps) {
  const { t, locale } = useReplayT();
  const [, setLocale] = useLocale();
  const initial = useMemo(
    () => parseReplayQuery(search ?? globalThis.location?.search ?? '', timeZone),
    // The address is read once; afterwards the page writes it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const [selection, setSelection] = useState<ReplaySelection | null>(initial.selection);
  const [range, setRange] = useState<ReplayRange>(initial.range);
  const [followed, setFollowed] = useState<number | null>(initial.follow);
  const [hover, setHover] = useState<HoverState | null>(null);
  const replay = useReplay({ selection, range, api });
  const context = useReplayContext(api);
  const { tracks, incidents, clock } = replay;

  useEffect(() => {
    document.title = `${t('page.title')} · ${t('page.subtitle')}`;
  }, [t]);

  // Names of a grid or village given only by id/code in the address, once the grids are known.
  useEffect(() => {
    if (!context.gridsById.size || !selection) return;
    if (selection.kind === 'grid' && !selection.grid.name) {
      const g = context.gridsById.get(selection.grid.id);
      if (g) setSelection({ kind: 'grid', grid: { ...selection.grid, code: g.code, name: g.name, context: `${g.townshipName} · ${shortAreaName(g.villageName)}` } });
    } else if (selection.kind === 'village' && !selection.village.name) {
      const g = [...context.gridsById.values()].find((x) => x.villageCode === selection.village.code);
      if (g) setSelection({ kind: 'village', village: { ...selection.village, name: shortAreaName(g.villageName), context: g.townshipName } });
    }
  }, [context.gridsById, selection]);

  useEffect(() => {
    if (!syncUrl || typeof history === 'undefined') return;
    const next = `${location.pathname}${replayQuery({ selection, range, follow: followed })}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', next);
  }, [syncUrl, selection, range, followed]);

  // A followed worker that is not loaded (any more) is not followed.
  useEffect(() => {
    if (followed !== null && replay.status === 'ready' && !tracks.some((tr) => tr.workerId === followed)) setFollowed(null);
  }, [followed, replay.status, tracks]);

  const onSelectionChange = useCallback((next: ReplaySelection | null) => {
    setSelection(next);
    setHover(null);
  }, []);

  // Keyboard: space plays/pauses, unless typing or on a control that uses it.
  const toggleRef = useLatest(replay.toggle);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== ' ' || e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.closest('input, textarea, select, button, [contenteditable="true"]') !== null)) return;
      e.preventDefault();
      toggleRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The frame: every worker's position at the clock's time.
  const frame = useMemo<ReplayFrame>(() => ({ time: clock.time, positions: positionsAt(tracks, clock.time) }), [tracks, clock.time]);

  const onHover = useCallback((info: PickingInfo) => {
    setHover(info.object && info.layer ? { x: info.x, y: info.y, layerId: info.layer.id, object: info.object } : null);
  }, []);
  const onClick = useCallback((info: PickingInfo) => {
    const track = info.object as PreparedTrack | undefined;
    if (info.layer?.id === 'replay-markers' && track) setFollowed((f) => (f === track.workerId ? null : track.workerId));
  }, []);

  const layers = useMemo(
    () => replayLayers({ tracks, incidents, frame, speed: clock.speed, followed, theme, onHover, onClick }),
    [tracks, incidents, frame, clock.speed, followed, theme, onHover, onClick],
  );

  // Camera: fit the tracks when they load (or the chosen area before that); follow one worker.
  const loadKey = `${selectionKey(selection)}|${replay.range.from}|${replay.range.to}`;
  const fit = useMemo(() => {
    const tb = replay.status === 'ready' ? tracksBBox(tracks) : null;
    if (tb) return { bbox: tb, key: `tracks:${loadKey}` };
    const ab = areaBBox(selection, context.data?.grids);
    if (ab) return { bbox: ab, key: `area:${selectionKey(selection)}` };
    // Nothing chosen yet: the whole county.
    const county = context.data?.county.length ? featuresBBox(context.data.county) : null;
    return county ? { bbox: county, key: 'county' } : null;
  }, [replay.status, tracks, loadKey, selection, context.data?.grids, context.data?.county]);
  const followedIndex = followed === null ? -1 : tracks.findIndex((tr) => tr.workerId === followed);
  const followedPos = followedIndex >= 0 ? frame.positions[followedIndex] : null;
  const follow = useMemo<[number, number] | null>(
    () => (followedPos && followedPos.state !== 'before' ? [followedPos.lon, followedPos.lat] : null),
    [followedPos],
  );
  const stopFollowing = useCallback(() => setFollowed(null), []);

  const highlightGridIds = useMemo(() => {
    const ids = new Set<number>(tracks.map((tr) => tr.gridId));
    if (selection?.kind === 'grid') ids.add(selection.grid.id);
    if (selection?.kind === 'workers') for (const w of selection.workers) if (w.gridId !== undefined) ids.add(w.gridId);
    if (selection?.kind === 'village' && context.data) {
      for (const g of context.data.grids) if (g.properties.villageCode === selection.village.code) ids.add(g.properties.id);
    }
    return ids;
  }, [tracks, selection, context.data]);

  // Test hook: the state of this render (every frame while playing).
  const hookRef = useRef<ReplayTestHook | null>(null);
  if (!hookRef.current) hookRef.current = createReplayTestHook();
  const onMapReady = useCallback((map: MapLibreMap | null, deck: MapboxOverlay | null) => {
    const hook = hookRef.current!;
    hook.map = map;
    hook.deck = deck;
    hook.mapReady = false;
    // Ready once MapLibre is idle (style and sources drawn) and deck.gl has drawn a frame.
    map?.on('idle', () => {
      if (hook.frames > 0) hook.mapReady = true;
    });
  }, []);
  const onFrame = useCallback(() => {
    const hook = hookRef.current!;
    hook.frames++;
    if (!hook.mapReady && hook.map?.loaded()) hook.mapReady = true;
  }, []);
  useEffect(() => {
    const hook = hookRef.current!;
    window.__gridccReplay = hook;
    return () => {
      if (window.__gridccReplay === hook) delete window.__gridccReplay;
    };
  }, []);
  useEffect(() => {
    const hook = hookRef.current!;
    hook.status = replay.status;
    hook.error = replay.error?.message ?? null;
    hook.from = clock.from;
    hook.to = clock.to;
    hook.time = clock.time;
    hook.playing = clock.playing;
    hook.speed = clock.speed;
    hook.followed = followed;
    hook.workers = tracks.map((tr) => ({
      workerId: tr.workerId,
      name: tr.name,
      gridId: tr.gridId,
      points: tr.points,
      vertices: tr.times.length,
      distanceM: tr.distanceM,
      stops: tr.stops.length,
      stopMinutes: tr.stopMinutes,
      startMs: tr.startMs,
      endMs: tr.endMs,
    }));
    hook.markers = tracks.map((tr, i) => ({ workerId: tr.workerId, ...frame.positions[i] }));
    const shown = incidentsShown(incidents, clock.time);
    hook.incidents = { total: incidents.length, shown, shownIds: incidents.slice(0, shown).map((i) => i.id) };
    hook.layers = layers.map((l) => {
      const data = l.props.data as unknown;
      return { id: l.id, count: Array.isArray(data) ? data.length : 0 };
    });
  });

  const followedTrack = followedIndex >= 0 ? tracks[followedIndex] : null;

  return (
    <div className="replay" data-testid="replay-page">
      <header className="replay-header">
        <a
          className="replay-header__back"
          href={backHref}
          title={t('page.back')}
          onClick={(e) => {
            if (!onBack || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            onBack();
          }}
        >
          <span className="replay-header__arrow" aria-hidden />
          {t('page.back')}
        </a>
        <div className="replay-header__brand">
          <span className="replay-header__emblem" aria-hidden />
          <div>
            <h1 className="replay-header__title">{t('page.title')}</h1>
            <p className="replay-header__subtitle">{t('page.subtitle')}</p>
          </div>
        </div>
        <button
          type="button"
          className="app-header__lang"
          title={t('lang.switchTitle')}
          onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t('lang.switch')}
        </button>
      </header>
      <main className="replay-main">
        <ReplayMap
          theme={theme}
          layers={layers}
          context={context.data}
          highlightGridIds={highlightGridIds}
          fit={fit}
          follow={follow}
          padding={MAP_PADDING}
          onUserMove={stopFollowing}
          onMapReady={onMapReady}
          onFrame={onFrame}
        />
        <ReplayLegend />
        {followedTrack && (
          <div className="replay-follow" data-testid="replay-follow" style={{ '--worker-color': rgbaCss(workerColor(followedTrack.index)) } as React.CSSProperties}>
            <span className="replay-swatch" aria-hidden />
            {t('follow.label', { name: followedTrack.name })}
            <button type="button" className="replay-link" onClick={stopFollowing}>
              {t('follow.stop')}
            </button>
          </div>
        )}
        <ReplayPanel
          api={api}
          timeZone={timeZone}
          selection={selection}
          onSelectionChange={onSelectionChange}
          range={range}
          onRangeChange={setRange}
          replay={replay}
          followed={followed}
          onFollow={setFollowed}
          gridsById={context.gridsById}
        />
        {hover && (
          <HoverCard
            hover={hover}
            tracks={tracks}
            frame={frame}
            timeZone={timeZone}
            gridsById={context.gridsById}
          />
        )}
      </main>
    </div>
  );
}

/** Box of polygon features (any nesting of coordinate arrays). */
function featuresBBox(features: readonly RegionFeature[]): LngLatBBox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
      return;
    }
    for (const child of c) visit(child);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}

/** Box of the chosen grid or village from the loaded grids (or the search result's box). */
function areaBBox(selection: ReplaySelection | null, grids: readonly GridFeature[] | undefined): LngLatBBox | null {
  if (!selection || selection.kind === 'workers') return null;
  const area = selection.kind === 'grid' ? selection.grid : selection.village;
  if (area.bbox) return area.bbox;
  if (!grids?.length) return null;
  const chosen = grids.filter((g) =>
    selection.kind === 'grid' ? g.properties.id === selection.grid.id : g.properties.villageCode === selection.village.code,
  );
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const g of chosen) {
    for (const [x, y] of g.geometry.coordinates[0]) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}

function ReplayLegend() {
  const { t } = useReplayT();
  return (
    <section className="replay-legend" aria-label={t('legend.title')} data-testid="replay-legend">
      <span className="replay-legend__item">
        <span className="replay-legend__line replay-legend__line--travelled" aria-hidden />
        {t('legend.travelled')}
      </span>
      <span className="replay-legend__item">
        <span className="replay-legend__line replay-legend__line--ahead" aria-hidden />
        {t('legend.ahead')}
      </span>
      <span className="replay-legend__item">
        <span className="replay-legend__line replay-legend__line--gap" aria-hidden />
        {t('legend.gap')}
      </span>
      <span className="replay-legend__item">
        <span className="replay-legend__ring" aria-hidden />
        {t('legend.stop')}
      </span>
      <span className="replay-legend__item">
        <span className="replay-legend__incident" aria-hidden />
        {t('legend.incident')}
      </span>
    </section>
  );
}

interface HoverCardProps {
  hover: HoverState;
  tracks: readonly PreparedTrack[];
  frame: ReplayFrame;
  timeZone: string;
  gridsById: ReadonlyMap<number, GridProperties>;
}

function HoverCard({ hover, tracks, frame, timeZone, gridsById }: HoverCardProps) {
  const { t, locale } = useReplayT();
  let body: React.ReactNode = null;
  if (hover.layerId === 'replay-markers') {
    const track = hover.object as PreparedTrack;
    const pos = frame.positions[track.index];
    body = (
      <>
        <div className="replay-card__head">
          <span className="replay-swatch" style={{ background: rgbaCss(workerColor(track.index)) }} aria-hidden />
          <strong>{track.name}</strong>
          {pos && <span className={`replay-state replay-state--${pos.state}`}>{t(`state.${pos.state}`)}</span>}
        </div>
        <dl className="replay-card__rows">
          <dt>{t('worker.grid')}</dt>
          <dd>{gridsById.get(track.gridId)?.name ?? `#${track.gridId}`}</dd>
          <dt>{t('list.distance')}</dt>
          <dd>
            {formatKm((pos?.travelledM ?? 0) / 1000, locale)} / {t('unit.km', { value: formatKm(track.distanceM / 1000, locale) })}
          </dd>
          <dt>{t('list.stops')}</dt>
          <dd>{track.stops.length ? t('list.stopsValue', { count: track.stops.length, duration: formatDuration(track.stopMinutes, t) }) : t('list.noStops')}</dd>
        </dl>
      </>
    );
  } else if (hover.layerId === 'replay-stops') {
    const stop = hover.object as PreparedStop;
    const track = tracks.find((tr) => tr.workerId === stop.workerId);
    body = (
      <>
        <div className="replay-card__head">
          <span className="replay-legend__ring" aria-hidden />
          <strong>{t('legend.stop')}</strong>
          <span className="replay-muted">{track?.name}</span>
        </div>
        <dl className="replay-card__rows">
          <dt>{t('card.time')}</dt>
          <dd>
            {zonedTime(stop.fromMs, timeZone)}–{zonedTime(stop.toMs, timeZone)}
          </dd>
          <dt>{t('card.duration')}</dt>
          <dd>{formatDuration(stop.minutes, t)}</dd>
        </dl>
      </>
    );
  } else if (hover.layerId === 'replay-incidents') {
    const inc = hover.object as ReplayIncident;
    body = (
      <>
        <div className="replay-card__head">
          <span className="replay-card__priority" style={{ background: rgbaCss(priorityColor(inc.priority)) }}>
            {replayTranslateLoose(locale, `priority.${inc.priority}`, `P${inc.priority}`)}
          </span>
          <strong>{inc.category}</strong>
        </div>
        <dl className="replay-card__rows">
          <dt>{t('incident.code')}</dt>
          <dd>{inc.code}</dd>
          <dt>{t('incident.reportedAt')}</dt>
          <dd>
            {zonedDate(inc.at, timeZone)} {zonedTime(inc.at, timeZone, true)}
          </dd>
          <dt>{t('incident.source')}</dt>
          <dd>{replayTranslateLoose(locale, `source.${inc.source}`, inc.source)}</dd>
          <dt>{t('incident.status')}</dt>
          <dd>{replayTranslateLoose(locale, `status.${inc.status}`, inc.status)}</dd>
        </dl>
      </>
    );
  }
  if (!body) return null;
  // Beside the pointer, on its left near the right edge of the window.
  const flip = hover.x > (globalThis.innerWidth ?? 1440) - CARD_WIDTH - 40;
  const style = flip
    ? { left: hover.x - CARD_OFFSET, top: hover.y + CARD_OFFSET, transform: 'translateX(-100%)' }
    : { left: hover.x + CARD_OFFSET, top: hover.y + CARD_OFFSET };
  return (
    <div className="replay-card" role="tooltip" data-testid="replay-card" style={style}>
      {body}
    </div>
  );
}

/** The card sits this far from the pointer; it is at most this wide (replay.css). */
const CARD_OFFSET = 14;
const CARD_WIDTH = 280;
