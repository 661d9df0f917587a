// The replay's controls: a side panel (whom to replay, the time range, the workers with their
// distance and stops; click one to follow it) and a playback bar along the bottom of the map
// (play/pause, speed ×1–×60, the time slider with the incidents of the window marked on it).
//
// Rendering: the playback bar re-renders every animation frame (it shows the time); the side
// panel's worker list only every few seconds of replay time (`coarseTime`), and its rows only when
// their own values change.
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiClient, GridProperties } from '../api/client.js';
import { isLoadable, loadGridDetail, loadWorkerDirectory, MAX_WORKERS, searchAreas } from './api.js';
import { SPEEDS } from './clock.js';
import { positionAt } from './interpolate.js';
import { priorityColor, rgbaCss, workerColor } from './replayLayers.js';
import { replayTranslateLoose, useReplayT, type ReplayMessageKey, type ReplayT } from './strings.js';
import { activitySpans, formatDuration, formatKm, shortAreaName, shortContext, summarizeAll } from './summary.js';
import { addDays, MAX_RANGE_MS, MINUTE_MS, rangeOf, zonedDate, zonedTime } from './time.js';
import type {
  AreaRef,
  GridDetail,
  LatestPosition,
  MarkerState,
  PreparedTrack,
  ReplayIncident,
  ReplayRange,
  ReplaySelection,
  SearchResult,
  WorkerRef,
} from './types.js';
import type { ReplayState } from './useReplay.js';

export interface ReplayPanelProps {
  api: ApiClient;
  timeZone: string;
  selection: ReplaySelection | null;
  onSelectionChange: (selection: ReplaySelection | null) => void;
  range: ReplayRange;
  onRangeChange: (range: ReplayRange) => void;
  replay: ReplayState;
  followed: number | null;
  onFollow: (workerId: number | null) => void;
  /** Grid names etc. for the worker list and the picker (empty until the grids are loaded). */
  gridsById: ReadonlyMap<number, GridProperties>;
}

/** The worker list refreshes its state and distance so far every this much replay time. */
const LIST_STEP_MS = 10_000;

export function ReplayPanel(props: ReplayPanelProps) {
  const { api, timeZone, selection, onSelectionChange, range, onRangeChange, replay, followed, onFollow, gridsById } = props;
  const { t } = useReplayT();
  const coarseTime = Math.floor(replay.clock.time / LIST_STEP_MS) * LIST_STEP_MS;
  const gridDetail = useGridDetail(api, selection);
  return (
    <>
      <aside className="replay-panel" data-testid="replay-panel" aria-label={t('page.title')}>
        <section className="replay-panel__section">
          <h2 className="replay-panel__heading">{t('pick.title')}</h2>
          <WorkerPicker
            api={api}
            selection={selection}
            onSelectionChange={onSelectionChange}
            gridsById={gridsById}
            tracks={replay.tracks}
            gridDetail={gridDetail}
          />
        </section>
        <section className="replay-panel__section">
          <h2 className="replay-panel__heading">{t('range.title')}</h2>
          <RangeForm range={range} timeZone={timeZone} onRangeChange={onRangeChange} />
        </section>
        <WorkerList
          status={replay.status}
          error={replay.error}
          onRetry={replay.reload}
          selection={selection}
          gridDetail={gridDetail}
          tracks={replay.tracks}
          range={replay.range}
          coarseTime={coarseTime}
          timeZone={timeZone}
          followed={followed}
          onFollow={onFollow}
          gridsById={gridsById}
        />
      </aside>
      <Timeline replay={replay} timeZone={timeZone} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Whom: one search over workers (by name), grids and villages.

/** The detail of the chosen grid (its workers), for the worker checklist. */
function useGridDetail(api: ApiClient, selection: ReplaySelection | null): GridDetail | null {
  const [detail, setDetail] = useState<GridDetail | null>(null);
  // The grid stays "current" while narrowing it to some of its workers.
  const gridId =
    selection?.kind === 'grid'
      ? selection.grid.id
      : selection?.kind === 'workers' && detail && selection.workers.every((w) => detail.workers.some((x) => x.id === w.id))
        ? detail.id
        : null;
  useEffect(() => {
    if (gridId === null) {
      setDetail(null);
      return;
    }
    if (detail?.id === gridId) return;
    const ac = new AbortController();
    loadGridDetail(api, gridId, ac.signal).then(setDetail, (err: unknown) => {
      if (!ac.signal.aborted) console.warn('replay: grid detail not loaded:', err);
    });
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, gridId]);
  return gridId !== null && detail?.id === gridId ? detail : null;
}

type PickOption =
  | { kind: 'worker'; key: string; worker: LatestPosition }
  | { kind: 'grid' | 'village'; key: string; area: SearchResult };

const MAX_WORKER_RESULTS = 8;

interface WorkerPickerProps {
  api: ApiClient;
  selection: ReplaySelection | null;
  onSelectionChange: (selection: ReplaySelection | null) => void;
  gridsById: ReadonlyMap<number, GridProperties>;
  tracks: readonly PreparedTrack[];
  gridDetail: GridDetail | null;
}

function areaRef(r: SearchResult): AreaRef {
  const name = r.kind === 'village' ? shortAreaName(r.name) : r.name;
  return { id: r.id, code: r.code, name, context: shortContext(r.context), bbox: r.bbox as AreaRef['bbox'] };
}

function WorkerPicker({ api, selection, onSelectionChange, gridsById, tracks, gridDetail }: WorkerPickerProps) {
  const { t, locale } = useReplayT();
  const listId = useId();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [searching, setSearching] = useState(false);
  const [options, setOptions] = useState<PickOption[]>([]);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setOptions([]);
      setSearching(false);
      return;
    }
    const ac = new AbortController();
    setSearching(true);
    const timer = setTimeout(() => {
      const workers = loadWorkerDirectory(api).then(
        (all) => all.filter((w) => w.name.includes(text) || String(w.workerId) === text).slice(0, MAX_WORKER_RESULTS),
        () => [] as LatestPosition[],
      );
      const areas = searchAreas(api, text, ac.signal).catch(() => [] as SearchResult[]);
      Promise.all([workers, areas]).then(([w, a]) => {
        if (ac.signal.aborted) return;
        setOptions([
          ...w.map((worker): PickOption => ({ kind: 'worker', key: `w${worker.workerId}`, worker })),
          ...a.filter((r) => r.kind === 'grid').map((area): PickOption => ({ kind: 'grid', key: `g${area.id}`, area })),
          ...a.filter((r) => r.kind === 'village').map((area): PickOption => ({ kind: 'village', key: `v${area.id}`, area })),
        ]);
        setActive(0);
        setSearching(false);
      });
    }, 200);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [api, q]);

  const chosenIds = useMemo(
    () => new Set(selection?.kind === 'workers' ? selection.workers.map((w) => w.id) : []),
    [selection],
  );

  const pick = useCallback(
    (o: PickOption) => {
      if (o.kind === 'worker') {
        const ref: WorkerRef = { id: o.worker.workerId, name: o.worker.name, gridId: o.worker.assignedGridId };
        const current = selection?.kind === 'workers' ? selection.workers : [];
        if (!current.some((w) => w.id === ref.id) && current.length < MAX_WORKERS) {
          onSelectionChange({ kind: 'workers', workers: [...current, ref] });
        }
      } else if (o.kind === 'grid') {
        onSelectionChange({ kind: 'grid', grid: areaRef(o.area) });
      } else {
        onSelectionChange({ kind: 'village', village: areaRef(o.area) });
      }
      setQ('');
      setOpen(false);
    },
    [selection, onSelectionChange],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      if (open && options[active]) {
        e.preventDefault();
        pick(options[active]);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const trackByWorker = useMemo(() => new Map(tracks.map((tr) => [tr.workerId, tr])), [tracks]);
  const nameOf = (w: WorkerRef) => w.name || trackByWorker.get(w.id)?.name || gridDetail?.workers.find((x) => x.id === w.id)?.name || `#${w.id}`;
  const showList = open && q.trim().length > 0;
  const groups: Array<{ kind: PickOption['kind']; label: ReplayMessageKey }> = [
    { kind: 'worker', label: 'pick.group.workers' },
    { kind: 'grid', label: 'pick.group.grids' },
    { kind: 'village', label: 'pick.group.villages' },
  ];

  return (
    <div className="replay-picker">
      <div className="replay-picker__box">
        <span className="replay-picker__icon" aria-hidden />
        <input
          type="search"
          className="replay-picker__input"
          data-testid="replay-search"
          placeholder={t('pick.placeholder')}
          aria-label={t('pick.placeholder')}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
      </div>
      {showList && (
        <div className="replay-picker__results" id={listId} role="listbox" data-testid="replay-results">
          {searching && options.length === 0 && <div className="replay-picker__note">{t('pick.searching')}</div>}
          {!searching && options.length === 0 && <div className="replay-picker__note">{t('pick.noResults')}</div>}
          {groups.map(({ kind, label }) => {
            const items = options.filter((o) => o.kind === kind);
            if (!items.length) return null;
            return (
              <div key={kind} role="group" aria-label={t(label)}>
                <div className="replay-picker__group">{t(label)}</div>
                {items.map((o) => {
                  const index = options.indexOf(o);
                  const isWorker = o.kind === 'worker';
                  const added = isWorker && chosenIds.has(o.worker.workerId);
                  const grid = isWorker ? gridsById.get(o.worker.assignedGridId) : null;
                  return (
                    <div
                      key={o.key}
                      role="option"
                      aria-selected={index === active}
                      className={`replay-picker__option${index === active ? ' replay-picker__option--active' : ''}`}
                      data-kind={o.kind}
                      data-id={isWorker ? o.worker.workerId : o.area.id}
                      onMouseDown={(e) => e.preventDefault()}
                      onMouseEnter={() => setActive(index)}
                      onClick={() => pick(o)}
                    >
                      <span className={`replay-picker__kind replay-picker__kind--${o.kind}`} aria-hidden />
                      <span className="replay-picker__name">{isWorker ? o.worker.name : o.kind === 'village' ? shortAreaName(o.area.name) : o.area.name}</span>
                      <span className="replay-picker__context">
                        {isWorker
                          ? [replayTranslateLoose(locale, `role.${o.worker.role}`, o.worker.role), grid?.name].filter(Boolean).join(' · ')
                          : shortContext(o.area.context)}
                      </span>
                      {added && <span className="replay-picker__added">{t('pick.added')}</span>}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      )}
      <SelectionSummary
        selection={selection}
        onSelectionChange={onSelectionChange}
        nameOf={nameOf}
        trackByWorker={trackByWorker}
        gridDetail={gridDetail}
      />
    </div>
  );
}

interface SelectionSummaryProps {
  selection: ReplaySelection | null;
  onSelectionChange: (selection: ReplaySelection | null) => void;
  nameOf: (w: WorkerRef) => string;
  trackByWorker: ReadonlyMap<number, PreparedTrack>;
  gridDetail: GridDetail | null;
}

function SelectionSummary({ selection, onSelectionChange, nameOf, trackByWorker, gridDetail }: SelectionSummaryProps) {
  const { t, locale } = useReplayT();
  if (!selection || (selection.kind === 'workers' && !selection.workers.length && !gridDetail)) return null;

  const swatch = (workerId: number) => {
    const track = trackByWorker.get(workerId);
    return (
      <span
        className="replay-swatch"
        style={{ background: track ? rgbaCss(workerColor(track.index)) : 'transparent' }}
        aria-hidden
      />
    );
  };

  // A grid, or some workers of the grid last chosen: the grid card and its worker checklist.
  if (gridDetail && (selection.kind === 'grid' || selection.kind === 'workers')) {
    const checked = new Set(selection.kind === 'grid' ? gridDetail.workers.map((w) => w.id) : selection.workers.map((w) => w.id));
    const gridRef: AreaRef = {
      id: gridDetail.id,
      code: gridDetail.code,
      name: gridDetail.name,
      context: `${gridDetail.township.name} · ${shortAreaName(gridDetail.village.name)}`,
      bbox: gridDetail.bbox as AreaRef['bbox'],
    };
    const toggle = (id: number) => {
      const next = new Set(checked);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      if (next.size === gridDetail.workers.length) onSelectionChange({ kind: 'grid', grid: gridRef });
      else
        onSelectionChange({
          kind: 'workers',
          workers: gridDetail.workers.filter((w) => next.has(w.id)).map((w) => ({ id: w.id, name: w.name, gridId: gridDetail.id })),
        });
    };
    return (
      <div className="replay-selection" data-testid="replay-selection" data-kind="grid">
        <div className="replay-selection__card">
          <span className="replay-selection__badge">{t('pick.badge.grid')}</span>
          <div className="replay-selection__title">
            <strong>{gridDetail.name}</strong>
            <span>{gridRef.context}</span>
          </div>
          <button type="button" className="replay-link" onClick={() => onSelectionChange(null)}>
            {t('pick.clear')}
          </button>
        </div>
        <div className="replay-selection__hint">{t('pick.gridWorkers')}</div>
        <ul className="replay-checklist">
          {gridDetail.workers.map((w) => (
            <li key={w.id}>
              <label>
                <input type="checkbox" checked={checked.has(w.id)} onChange={() => toggle(w.id)} data-worker-id={w.id} />
                {swatch(w.id)}
                <span>{w.name}</span>
                <span className="replay-muted">{replayTranslateLoose(locale, `role.${w.role}`, w.role)}</span>
              </label>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  if (selection.kind === 'workers') {
    return (
      <div className="replay-selection" data-testid="replay-selection" data-kind="workers">
        <div className="replay-selection__row">
          <span className="replay-muted">{t('pick.workersCount', { count: selection.workers.length })}</span>
          <button type="button" className="replay-link" onClick={() => onSelectionChange(null)}>
            {t('pick.clear')}
          </button>
        </div>
        <ul className="replay-chips">
          {selection.workers.map((w) => (
            <li key={w.id} className="replay-chip" data-worker-id={w.id}>
              {swatch(w.id)}
              <span>{nameOf(w)}</span>
              <button
                type="button"
                className="replay-chip__remove"
                aria-label={t('pick.remove', { name: nameOf(w) })}
                title={t('pick.remove', { name: nameOf(w) })}
                onClick={() => onSelectionChange({ kind: 'workers', workers: selection.workers.filter((x) => x.id !== w.id) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  const area = selection.kind === 'grid' ? selection.grid : selection.village;
  return (
    <div className="replay-selection" data-testid="replay-selection" data-kind={selection.kind}>
      <div className="replay-selection__card">
        <span className="replay-selection__badge">{t(selection.kind === 'grid' ? 'pick.badge.grid' : 'pick.badge.village')}</span>
        <div className="replay-selection__title">
          <strong>{area.name || area.code || `#${area.id}`}</strong>
          <span>{[area.context, t(selection.kind === 'grid' ? 'pick.wholeGrid' : 'pick.wholeVillage')].filter(Boolean).join(' · ')}</span>
        </div>
        <button type="button" className="replay-link" onClick={() => onSelectionChange(null)}>
          {t('pick.clear')}
        </button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// When: a local date and two local times (Asia/Shanghai), with shortcuts.

interface RangeFormProps {
  range: ReplayRange;
  timeZone: string;
  onRangeChange: (range: ReplayRange) => void;
}

function RangeForm({ range, timeZone, onRangeChange }: RangeFormProps) {
  const { t } = useReplayT();
  const initial = () => ({ date: zonedDate(range.from, timeZone), from: zonedTime(range.from, timeZone), to: zonedTime(range.to, timeZone) });
  const [form, setForm] = useState(initial);
  const applied = rangeOf(form.date, form.from, form.to, timeZone);
  // A range set from outside (the address, a reset) that the form does not describe: show it.
  useEffect(() => {
    if (!applied || applied.from !== range.from || applied.to !== range.to) setForm(initial());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range.from, range.to, timeZone]);

  const update = (patch: Partial<typeof form>) => {
    const next = { ...form, ...patch };
    setForm(next);
    const r = rangeOf(next.date, next.from, next.to, timeZone);
    if (r && r.to - r.from <= MAX_RANGE_MS && (r.from !== range.from || r.to !== range.to)) onRangeChange(r);
  };
  const today = zonedDate(Date.now(), timeZone);
  const overnight = applied !== null && zonedDate(applied.to - 1, timeZone) !== form.date;

  return (
    <div className="replay-range" data-testid="replay-range">
      <div className="replay-range__row">
        <span className="replay-range__label">{t('range.date')}</span>
        <input
          type="date"
          className="replay-input replay-input--date"
          value={form.date}
          max={today}
          aria-label={t('range.date')}
          onChange={(e) => update({ date: e.target.value })}
          data-testid="replay-date"
        />
        <button type="button" className="replay-preset" aria-pressed={form.date === today} onClick={() => update({ date: today })}>
          {t('range.today')}
        </button>
        <button
          type="button"
          className="replay-preset"
          aria-pressed={form.date === addDays(today, -1)}
          onClick={() => update({ date: addDays(today, -1) })}
        >
          {t('range.yesterday')}
        </button>
      </div>
      <div className="replay-range__row">
        <span className="replay-range__label">{t('range.span')}</span>
        <input
          type="time"
          className="replay-input replay-input--time"
          value={form.from}
          aria-label={t('range.from')}
          onChange={(e) => update({ from: e.target.value })}
          data-testid="replay-from"
        />
        <span className="replay-range__dash">{t('range.until')}</span>
        <input
          type="time"
          className="replay-input replay-input--time"
          value={form.to}
          aria-label={t('range.to')}
          onChange={(e) => update({ to: e.target.value })}
          data-testid="replay-to"
        />
        {overnight && <em className="replay-muted replay-range__next">{t('range.nextDay')}</em>}
      </div>
      <div className="replay-range__row replay-range__row--presets">
        <span className="replay-range__label" aria-hidden />
        <button
          type="button"
          className="replay-preset"
          aria-pressed={form.from === '07:00' && form.to === '19:00'}
          onClick={() => update({ from: '07:00', to: '19:00' })}
        >
          {t('range.dayShift')}
        </button>
        <button
          type="button"
          className="replay-preset"
          aria-pressed={form.from === '00:00' && form.to === '00:00'}
          onClick={() => update({ from: '00:00', to: '00:00' })}
        >
          {t('range.allDay')}
        </button>
      </div>
      {!applied && <div className="replay-range__error">{t('range.invalid')}</div>}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The workers: distance, stops, state now; click to follow.

const STATE_KEYS: Record<MarkerState, ReplayMessageKey> = {
  before: 'state.before',
  active: 'state.active',
  stopped: 'state.stopped',
  gap: 'state.gap',
  after: 'state.after',
};

interface WorkerListProps {
  status: ReplayState['status'];
  error: Error | null;
  onRetry: () => void;
  selection: ReplaySelection | null;
  gridDetail: GridDetail | null;
  tracks: readonly PreparedTrack[];
  range: ReplayRange;
  coarseTime: number;
  timeZone: string;
  followed: number | null;
  onFollow: (workerId: number | null) => void;
  gridsById: ReadonlyMap<number, GridProperties>;
}

const WorkerList = memo(function WorkerList({
  status,
  error,
  onRetry,
  selection,
  gridDetail,
  tracks,
  range,
  coarseTime,
  timeZone,
  followed,
  onFollow,
  gridsById,
}: WorkerListProps) {
  const { t, locale } = useReplayT();
  const totals = useMemo(() => summarizeAll(tracks), [tracks]);
  // Chosen workers without positions in the range.
  const missing = useMemo(() => {
    const have = new Set(tracks.map((tr) => tr.workerId));
    const chosen: WorkerRef[] =
      selection?.kind === 'workers'
        ? selection.workers
        : selection?.kind === 'grid' && gridDetail
          ? gridDetail.workers.map((w) => ({ id: w.id, name: w.name, gridId: gridDetail.id }))
          : [];
    return chosen.filter((w) => !have.has(w.id));
  }, [tracks, selection, gridDetail]);
  const progress = range.to > range.from ? Math.min(1, Math.max(0, (coarseTime - range.from) / (range.to - range.from))) : 0;

  let body: React.ReactNode;
  if (!isLoadable(selection)) body = <p className="replay-empty">{t('status.hint')}</p>;
  else if (status === 'loading') body = <p className="replay-empty replay-empty--busy">{t('status.loading')}</p>;
  else if (status === 'error')
    body = (
      <div className="replay-empty replay-empty--error" role="alert">
        {t('status.error', { message: error?.message ?? '' })}
        <button type="button" className="replay-link" onClick={onRetry}>
          {t('status.retry')}
        </button>
      </div>
    );
  else if (!tracks.length && !missing.length) body = <p className="replay-empty">{t('status.empty')}</p>;
  else
    body = (
      <ul className="replay-workers" data-testid="replay-workers" style={{ '--replay-progress': progress } as React.CSSProperties}>
        {tracks.map((track) => (
          <WorkerRow
            key={track.workerId}
            track={track}
            position={positionAt(track, coarseTime)}
            range={range}
            timeZone={timeZone}
            followed={followed === track.workerId}
            onFollow={onFollow}
            gridName={gridsById.get(track.gridId)?.name ?? null}
            t={t}
            locale={locale}
          />
        ))}
        {missing.map((w) => (
          <li key={`missing-${w.id}`} className="replay-worker replay-worker--missing" data-worker-id={w.id} data-testid="replay-worker-missing">
            <div className="replay-worker__head">
              <span className="replay-swatch replay-swatch--none" aria-hidden />
              <span className="replay-worker__name">{w.name || `#${w.id}`}</span>
              <span className="replay-worker__grid">{w.gridId !== undefined ? (gridsById.get(w.gridId)?.name ?? '') : ''}</span>
            </div>
            <div className="replay-worker__stats replay-muted">{t('list.noTrack')}</div>
          </li>
        ))}
      </ul>
    );

  return (
    <section className="replay-panel__section replay-panel__section--list">
      <h2 className="replay-panel__heading">
        {t('list.title')}
        {status === 'ready' && tracks.length > 0 && <span className="replay-panel__count">{t('list.withTracks', { count: tracks.length })}</span>}
      </h2>
      {status === 'ready' && tracks.length > 1 && (
        <div className="replay-totals" data-testid="replay-totals">
          <span>{t('list.total')}</span>
          <span data-field="distance">{t('unit.km', { value: formatKm(totals.distanceKm, locale) })}</span>
          <span data-field="stops">
            {t('list.stops')} {t('list.stopsValue', { count: totals.stopCount, duration: formatDuration(totals.stopMinutes, t) })}
          </span>
        </div>
      )}
      {body}
    </section>
  );
});

interface WorkerRowProps {
  track: PreparedTrack;
  position: ReturnType<typeof positionAt>;
  range: ReplayRange;
  timeZone: string;
  followed: boolean;
  onFollow: (workerId: number | null) => void;
  gridName: string | null;
  t: ReplayT;
  locale: string;
}

const WorkerRow = memo(
  function WorkerRow({ track, position, range, timeZone, followed, onFollow, gridName, t, locale }: WorkerRowProps) {
    const spans = useMemo(() => activitySpans(track, range.from, range.to), [track, range.from, range.to]);
    const color = rgbaCss(workerColor(track.index));
    const toggle = () => onFollow(followed ? null : track.workerId);
    const stopsText = track.stops.length
      ? t('list.stopsValue', { count: track.stops.length, duration: formatDuration(track.stopMinutes, t) })
      : t('list.noStops');
    return (
      <li
        className={`replay-worker${followed ? ' replay-worker--followed' : ''}`}
        data-testid="replay-worker"
        data-worker-id={track.workerId}
        style={{ '--worker-color': color } as React.CSSProperties}
      >
        <button
          type="button"
          className="replay-worker__button"
          aria-pressed={followed}
          title={followed ? t('list.unfollow') : t('list.follow', { name: track.name })}
          onClick={toggle}
        >
          <div className="replay-worker__head">
            <span className="replay-swatch" style={{ background: color }} aria-hidden />
            <span className="replay-worker__name">{track.name}</span>
            <span className="replay-worker__grid">{gridName ?? ''}</span>
            <span className={`replay-state replay-state--${position.state}`} data-field="state" data-state={position.state}>
              {t(STATE_KEYS[position.state])}
            </span>
          </div>
          <dl className="replay-worker__stats">
            <div>
              <dt>{t('list.distance')}</dt>
              <dd data-field="distance" data-distance-m={track.distanceM}>
                <span className="replay-worker__travelled" data-field="travelled" data-travelled-m={Math.round(position.travelledM)}>
                  {formatKm(position.travelledM / 1000, locale)}
                </span>
                {' / '}
                {t('unit.km', { value: formatKm(track.distanceM / 1000, locale) })}
              </dd>
            </div>
            <div>
              <dt>{t('list.stops')}</dt>
              <dd data-field="stops" data-stop-count={track.stops.length} data-stop-minutes={track.stopMinutes}>
                {stopsText}
              </dd>
            </div>
          </dl>
          <div className="replay-activity" aria-hidden>
            {spans.map((s, i) => (
              <span
                key={i}
                className={`replay-activity__span replay-activity__span--${s.kind}`}
                style={{ left: `${s.start * 100}%`, width: `${(s.end - s.start) * 100}%` }}
              />
            ))}
            <span className="replay-activity__cursor" />
          </div>
          <div className="replay-worker__span replay-muted">
            {t('list.activeSpan', { from: zonedTime(track.startMs, timeZone), to: zonedTime(track.endMs, timeZone) })}
            {' · '}
            {t('list.points', { count: track.points.toLocaleString(locale) })}
          </div>
        </button>
      </li>
    );
  },
  (a, b) =>
    a.track === b.track &&
    a.followed === b.followed &&
    a.position.state === b.position.state &&
    Math.round(a.position.travelledM / 10) === Math.round(b.position.travelledM / 10) &&
    a.gridName === b.gridName &&
    a.t === b.t &&
    a.range.from === b.range.from &&
    a.range.to === b.range.to &&
    a.onFollow === b.onFollow,
);

// ---------------------------------------------------------------------------------------------
// The playback bar.

const STEP_MS = 5 * MINUTE_MS;

function Timeline({ replay, timeZone }: { replay: ReplayState; timeZone: string }) {
  const { t, locale } = useReplayT();
  const { clock, incidents } = replay;
  const { from, to, time, playing, speed } = clock;
  const len = Math.max(1, to - from);
  const progress = Math.min(1, Math.max(0, (time - from) / len));
  const disabled = replay.status !== 'ready' || replay.tracks.length === 0;
  const shown = useMemo(() => countShown(incidents, time), [incidents, time]);

  return (
    <section
      className={`replay-timeline${disabled ? ' replay-timeline--disabled' : ''}`}
      data-testid="replay-timeline"
      aria-label={t('play.slider')}
    >
      <div className="replay-timeline__controls">
        <button
          type="button"
          className="replay-step"
          onClick={() => replay.seek(time - STEP_MS)}
          disabled={disabled}
          aria-label={t('play.back')}
          title={t('play.back')}
        >
          <span className="replay-icon replay-icon--back" aria-hidden />
        </button>
        <button
          type="button"
          className={`replay-play${playing ? ' replay-play--playing' : ''}`}
          data-testid="replay-play"
          onClick={replay.toggle}
          disabled={disabled}
          aria-label={playing ? t('play.pause') : t('play.play')}
          title={playing ? t('play.pause') : t('play.play')}
        >
          <span className={`replay-icon replay-icon--${playing ? 'pause' : 'play'}`} aria-hidden />
        </button>
        <button
          type="button"
          className="replay-step"
          onClick={() => replay.seek(time + STEP_MS)}
          disabled={disabled}
          aria-label={t('play.forward')}
          title={t('play.forward')}
        >
          <span className="replay-icon replay-icon--forward" aria-hidden />
        </button>
      </div>
      <div className="replay-timeline__clock" data-testid="replay-time" data-time={time}>
        <span className="replay-timeline__time">{zonedTime(time, timeZone, true)}</span>
        <span className="replay-timeline__date">{zonedDate(time, timeZone)}</span>
      </div>
      <div className="replay-timeline__track">
        <div className="replay-slider" style={{ '--replay-progress': progress } as React.CSSProperties}>
          <IncidentTicks incidents={incidents} from={from} to={to} />
          <input
            type="range"
            className="replay-slider__input"
            data-testid="replay-slider"
            min={from}
            max={to}
            step={1000}
            value={time}
            disabled={disabled}
            aria-label={t('play.slider')}
            aria-valuetext={`${zonedDate(time, timeZone)} ${zonedTime(time, timeZone, true)}`}
            onChange={(e) => replay.seek(Number(e.target.value))}
          />
        </div>
        <div className="replay-timeline__scale">
          <span>{zonedTime(from, timeZone)}</span>
          <span className="replay-timeline__incidents" data-testid="replay-incident-count" data-shown={shown} data-total={incidents.length}>
            <span className="replay-timeline__incident-icon" aria-hidden />
            {t('incidents.count', { shown: shown.toLocaleString(locale), total: incidents.length.toLocaleString(locale) })}
            {replay.incidentsTruncated && t('incidents.truncated', { count: incidents.length.toLocaleString(locale) })}
          </span>
          <span>{zonedTime(to, timeZone)}</span>
        </div>
      </div>
      <div className="replay-speed" role="radiogroup" aria-label={t('play.speed')} data-testid="replay-speed">
        {SPEEDS.map((s) => (
          <button
            key={s}
            type="button"
            role="radio"
            aria-checked={s === speed}
            className="replay-speed__option"
            data-speed={s}
            onClick={() => replay.setSpeed(s)}
          >
            ×{s}
          </button>
        ))}
      </div>
    </section>
  );
}

function countShown(incidents: readonly ReplayIncident[], time: number): number {
  let lo = 0;
  let hi = incidents.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (incidents[mid].at <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const IncidentTicks = memo(function IncidentTicks({ incidents, from, to }: { incidents: readonly ReplayIncident[]; from: number; to: number }) {
  const len = Math.max(1, to - from);
  // One tick per pixel column at most (~0.25% of the width), the most urgent one kept.
  const ticks = useMemo(() => {
    const byBucket = new Map<number, ReplayIncident>();
    for (const i of incidents) {
      const bucket = Math.round(((i.at - from) / len) * 400);
      const prev = byBucket.get(bucket);
      if (!prev || i.priority < prev.priority) byBucket.set(bucket, i);
    }
    return [...byBucket.values()];
  }, [incidents, from, len]);
  return (
    <div className="replay-slider__ticks" aria-hidden>
      {ticks.map((i) => (
        <span
          key={i.id}
          className="replay-slider__tick"
          style={{ left: `${((i.at - from) / len) * 100}%`, background: rgbaCss(priorityColor(i.priority)) }}
        />
      ))}
    </div>
  );
});
