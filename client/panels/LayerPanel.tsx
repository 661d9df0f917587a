// The layer panel: one section per layer with its switch, its options (grid indicator and labels,
// incident time window and filters, base map) and its legend. On the wall (`variant="screen"`) the
// same sections are a legend only: no switches, nothing to click.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocale, useT, type MessageKey } from '../i18n/index.js';
import {
  CAMERA_KINDS,
  GRID_INDICATORS,
  INCIDENT_CATEGORIES,
  INCIDENT_SOURCES,
  STATUS_FILTERS,
  STATUS_GROUPS,
  WORKER_STATES,
  type StatusFilter,
} from '../state/domain.js';
import { LAYER_KEYS, WINDOW_PRESETS, type LayerKey, type MapUrlState, type UrlStateUpdate } from '../state/urlState.js';
import { DAY_MS, HOUR_MS, SLIDER_DAYS, resolveWindow } from '../state/timeWindow.js';
import { ExportLinks } from './ExportLinks.js';
import { formatDateTime } from '../state/localTime.js';
import { iconName, type IconAtlas } from '../map/iconAtlas.js';
import type { LegendInfo } from '../map/useCommandLayers.js';
import { INCIDENT_POINTS_MIN_ZOOM } from '../map/layers/incidentsLayer.js';
import { TRACKS_MIN_ZOOM } from '../map/useCommandLayers.js';

export interface LayerPanelProps {
  state: MapUrlState;
  update?: (u: UrlStateUpdate) => void;
  legend: LegendInfo;
  variant?: 'operator' | 'screen';
  timezone: string;
  nowMs: number;
  /** An online base map is configured (offer the switch). */
  onlineBasemap?: boolean;
  /** Camera icons, to show the same symbols as the map. */
  atlas?: IconAtlas | null;
  /** The map's visible box (WGS84): offers downloads of the layers in view. Operator view only. */
  exportBounds?: readonly number[] | null;
}

const toggle = <T,>(list: readonly T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

function Swatch({ color, kind = 'box' }: { color: string; kind?: 'box' | 'dot' | 'line' | 'ring' | 'diamond' | 'diamond-ring' }) {
  const outline = kind === 'line' || kind === 'ring' || kind === 'diamond-ring';
  return <span className={`swatch swatch--${kind}`} style={outline ? { borderColor: color } : { background: color }} aria-hidden />;
}

function Section({
  layer,
  title,
  on,
  onToggle,
  children,
}: {
  layer: LayerKey;
  title: string;
  on: boolean;
  onToggle?: () => void;
  children?: ReactNode;
}) {
  return (
    <section className={`layer${on ? '' : ' layer--off'}`} data-layer={layer}>
      <header className="layer__head">
        {onToggle ? (
          <label className="layer__switch">
            <input type="checkbox" checked={on} onChange={onToggle} data-testid={`toggle-${layer}`} />
            <span className="layer__title">{title}</span>
          </label>
        ) : (
          <span className="layer__title">{title}</span>
        )}
      </header>
      {on && children ? <div className="layer__body">{children}</div> : null}
    </section>
  );
}

function Chips<T extends string>({
  all,
  selected,
  label,
  onChange,
  testId,
}: {
  all: readonly T[];
  selected: readonly T[];
  label: (v: T) => string;
  onChange: (next: T[]) => void;
  testId: string;
}) {
  return (
    <div className="chips" data-testid={testId}>
      {all.map((v) => (
        <button
          key={v}
          type="button"
          className={`chip${selected.includes(v) ? ' chip--on' : ''}`}
          aria-pressed={selected.includes(v)}
          onClick={() => onChange(toggle(selected, v))}
          data-value={v}
        >
          {label(v)}
        </button>
      ))}
    </div>
  );
}

/** Custom window: two sliders over the last SLIDER_DAYS days, in hours; committed after a pause. */
function RangeSlider({ state, update, nowMs, timezone }: { state: MapUrlState; update: (u: UrlStateUpdate) => void; nowMs: number; timezone: string }) {
  const t = useT();
  const end = Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - SLIDER_DAYS * DAY_MS;
  const toHours = (iso: string | null, fallback: number) => {
    const ms = iso ? Date.parse(iso) : fallback;
    return Math.round((Math.min(end, Math.max(start, ms)) - start) / HOUR_MS);
  };
  const [range, setRange] = useState<[number, number]>(() => [toHours(state.from, end - 7 * DAY_MS), toHours(state.to, end)]);
  useEffect(() => {
    const timer = setTimeout(() => {
      const from = new Date(start + range[0] * HOUR_MS).toISOString();
      const to = new Date(start + range[1] * HOUR_MS).toISOString();
      if (from !== state.from || to !== state.to) update({ window: 'custom', from, to });
    }, 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range]);
  const max = SLIDER_DAYS * 24;
  return (
    <div className="range" data-testid="window-slider">
      <div className="range__labels">
        <span>{t('window.from')} {formatDateTime(start + range[0] * HOUR_MS, timezone)}</span>
        <span>{t('window.to')} {formatDateTime(start + range[1] * HOUR_MS, timezone)}</span>
      </div>
      <div className="range__track">
        <span className="range__fill" style={{ left: `${(range[0] / max) * 100}%`, right: `${100 - (range[1] / max) * 100}%` }} />
        <input
          type="range" min={0} max={max} step={1} value={range[0]} aria-label={t('window.from')}
          onChange={(e) => setRange(([, b]) => [Math.min(Number(e.target.value), b - 1), b])}
        />
        <input
          type="range" min={0} max={max} step={1} value={range[1]} aria-label={t('window.to')}
          onChange={(e) => setRange(([a]) => [a, Math.max(Number(e.target.value), a + 1)])}
        />
      </div>
    </div>
  );
}

export function LayerPanel({ state, update, legend, variant = 'operator', timezone, nowMs, onlineBasemap = false, atlas = null, exportBounds }: LayerPanelProps) {
  const t = useT();
  const [locale] = useLocale();
  const n = (v: number) => v.toLocaleString(locale);
  const interactive = variant === 'operator' && Boolean(update);
  const on = (k: LayerKey) => state.layers.includes(k);
  const flip = (k: LayerKey) => () => update?.((s) => ({ layers: LAYER_KEYS.filter((x) => (x === k ? !s.layers.includes(x) : s.layers.includes(x))) }));
  const title = (k: LayerKey) => t(`layer.${k}` as MessageKey);
  const ind = legend.indicator;
  const filtersOn = state.categories.length + state.sources.length + state.statuses.length > 0;
  const iconStyle = useMemo(
    () => (name: string) => {
      const m = atlas?.mapping[name];
      if (!atlas || !m) return undefined;
      // The icon is 1.6em square: the atlas (3 × 2 icons) is scaled to match, so it grows with the text.
      const col = m.x / m.width;
      const row = m.y / m.height;
      return { backgroundImage: `url(${atlas.url})`, backgroundPosition: `-${col * 1.6}em -${row * 1.6}em`, backgroundSize: '4.8em 3.2em' };
    },
    [atlas],
  );

  return (
    <div className={`layer-panel layer-panel--${variant}`} data-testid="layer-panel">
      <h2 className="panel-title">
        <span className="panel-title__mark" aria-hidden />
        {variant === 'screen' ? t('screen.legend') : t('layers.title')}
      </h2>

      <Section layer="grids" title={title('grids')} on={on('grids')} onToggle={interactive ? flip('grids') : undefined}>
        {interactive && (
          <div className="field-row">
            <label className="field">
              <span className="field__label">{t('indicator.label')}</span>
              <select
                value={state.indicator}
                onChange={(e) => update!({ indicator: e.target.value as MapUrlState['indicator'] })}
                data-testid="indicator-select"
              >
                {GRID_INDICATORS.map((i) => (
                  <option key={i} value={i}>{t(`indicator.${i}` as MessageKey)}</option>
                ))}
              </select>
            </label>
            <label className="field field--narrow">
              <span className="field__label">{t('gridLabel.label')}</span>
              <select value={state.gridLabel} onChange={(e) => update!({ gridLabel: e.target.value as 'name' | 'code' })}>
                <option value="name">{t('gridLabel.name')}</option>
                <option value="code">{t('gridLabel.code')}</option>
              </select>
            </label>
          </div>
        )}
        <div className="legend-block" data-legend="grids">
          {!interactive && <div className="legend-block__caption">{t(`indicator.${state.indicator}` as MessageKey)}</div>}
          {state.indicator === 'coverage' ? (
            <ul className="legend-list legend-list--inline">
              <li><Swatch color="var(--covered)" />{t('indicator.covered')}</li>
              <li><Swatch color="var(--uncovered)" />{t('indicator.uncovered')}</li>
            </ul>
          ) : (
            <div className="ramp">
              <span className="ramp__zero"><Swatch color="var(--indicator-zero)" />{t('indicator.zero')}</span>
              <span className="ramp__bar" style={{ background: 'var(--indicator-ramp)' }} />
              <span className="ramp__max" data-testid="indicator-max">{ind ? n(ind.max) : '…'}</span>
            </div>
          )}
        </div>
      </Section>

      <Section layer="regions" title={title('regions')} on={on('regions')} onToggle={interactive ? flip('regions') : undefined}>
        <ul className="legend-list legend-list--inline">
          <li><Swatch color="var(--township-line)" kind="line" />{t('legend.township')}</li>
          <li><Swatch color="var(--village-line)" kind="line" />{t('legend.village')}</li>
        </ul>
      </Section>

      <Section layer="cameras" title={title('cameras')} on={on('cameras')} onToggle={interactive ? flip('cameras') : undefined}>
        <ul className="legend-list legend-list--grid" data-legend="cameras">
          {CAMERA_KINDS.map((k) => (
            <li key={k}>
              <span className="icon" style={iconStyle(iconName(k, true))} aria-hidden />
              {t(`camera.kind.${k}` as MessageKey)}
            </li>
          ))}
          <li>
            <span className="icon" style={iconStyle(iconName('xueliang', false))} aria-hidden />
            {t('camera.status.offline')}
            {legend.cameras ? <b className="legend-list__count">{n(legend.cameras.offline)}</b> : null}
          </li>
          <li className="legend-list__wide">
            <span className="cluster-swatch" aria-hidden>12</span>
            {t('camera.cluster')}
          </li>
          {interactive && (
            <li className="legend-list__wide">
              <Swatch color="var(--camera-xueliang)" kind="ring" />
              {t('camera.cone')}
            </li>
          )}
        </ul>
      </Section>

      <Section layer="incidents" title={title('incidents')} on={on('incidents')} onToggle={interactive ? flip('incidents') : undefined}>
        {interactive ? (
          <>
            <div className="segmented" role="group" aria-label={t('window.label')} data-testid="window-presets">
              {WINDOW_PRESETS.map((w) => (
                <button
                  key={w}
                  type="button"
                  className={`segmented__item${state.window === w ? ' segmented__item--on' : ''}`}
                  aria-pressed={state.window === w}
                  onClick={() => update!(w === 'custom'
                    ? { window: 'custom', from: state.from ?? new Date(nowMs - 7 * DAY_MS).toISOString(), to: state.to ?? new Date(nowMs).toISOString() }
                    : { window: w, from: null, to: null })}
                >
                  {t(`window.${w}` as MessageKey)}
                </button>
              ))}
            </div>
            {state.window === 'custom' && <RangeSlider state={state} update={update!} nowMs={nowMs} timezone={timezone} />}
            <details className="filters" open={filtersOn}>
              <summary>
                {t('filter.source')} · {t('filter.status')} · {t('filter.category')}
                {filtersOn && <span className="filters__count">{state.categories.length + state.sources.length + state.statuses.length}</span>}
              </summary>
              <div className="filters__group">
                <span className="field__label">{t('filter.source')}</span>
                <Chips all={INCIDENT_SOURCES} selected={state.sources} label={(v) => t(`source.${v}` as MessageKey)} onChange={(sources) => update!({ sources })} testId="filter-source" />
              </div>
              <div className="filters__group">
                <span className="field__label">{t('filter.status')}</span>
                <Chips<StatusFilter> all={STATUS_FILTERS} selected={state.statuses} label={(v) => t(`status.${v}` as MessageKey)} onChange={(statuses) => update!({ statuses })} testId="filter-status" />
              </div>
              <div className="filters__group">
                <span className="field__label">{t('filter.category')}</span>
                <Chips all={INCIDENT_CATEGORIES} selected={state.categories} label={(v) => v} onChange={(categories) => update!({ categories })} testId="filter-category" />
              </div>
              {filtersOn && (
                <button type="button" className="link-button" onClick={() => update!({ categories: [], sources: [], statuses: [] })}>
                  {t('filter.clear')}
                </button>
              )}
            </details>
          </>
        ) : (
          <div className="legend-block__caption">
            {t(`window.${state.window}` as MessageKey)}
            {filtersOn ? ` · ${[...state.sources.map((s) => t(`source.${s}` as MessageKey)), ...state.statuses.map((s) => t(`status.${s}` as MessageKey)), ...state.categories].join('、')}` : ''}
          </div>
        )}
        {legend.pointsMode ? (
          <div className="legend-block" data-legend="incident-points">
            <ul className="legend-list legend-list--grid">
              {STATUS_GROUPS.filter((g) => g !== 'void').map((g) => (
                <li key={g}><Swatch color={`var(--status-${g})`} kind="diamond" />{t(`statusGroup.${g}` as MessageKey)}</li>
              ))}
              <li><Swatch color="var(--status-overdue)" kind="diamond-ring" />{t('heat.overdueRing')}</li>
            </ul>
            {legend.points && (
              <div className="legend-block__note" data-testid="points-count">
                {t('heat.points', { shown: n(legend.points.shown), total: n(legend.points.matched) })}
              </div>
            )}
          </div>
        ) : (
          <div className="legend-block" data-legend="heatmap">
            <div className="ramp">
              <span className="ramp__zero">{t('heat.low')}</span>
              <span className="ramp__bar" style={{ background: 'var(--heat-ramp)' }} />
              <span className="ramp__max">{t('heat.high')}</span>
            </div>
            <div className="legend-block__note">
              {legend.heat && <span data-testid="heat-total">{t('heat.total', { count: n(legend.heat.total) })}</span>}
              {interactive && <span> · {t('heat.zoomHint', { zoom: INCIDENT_POINTS_MIN_ZOOM })}</span>}
            </div>
          </div>
        )}
      </Section>

      <Section layer="patrols" title={title('patrols')} on={on('patrols')} onToggle={interactive ? flip('patrols') : undefined}>
        <ul className="legend-list legend-list--grid" data-legend="workers">
          {WORKER_STATES.map((s) => (
            <li key={s} data-state={s}>
              <Swatch color={`var(--worker-${s})`} kind="dot" />
              {t(`worker.${s}` as MessageKey)}
              {legend.workers ? <b className="legend-list__count">{n(legend.workers[s])}</b> : null}
            </li>
          ))}
          <li className="legend-list__wide">
            <Swatch color="var(--track)" kind="line" />
            {t('patrols.tracks')}
            {legend.tracks > 0 ? (
              <b className="legend-list__count">{t('patrols.tracksShown', { count: legend.tracks })}</b>
            ) : interactive ? (
              <span className="legend-list__hint">{t('patrols.hint', { zoom: TRACKS_MIN_ZOOM })}</span>
            ) : null}
          </li>
        </ul>
      </Section>

      {interactive && onlineBasemap && (
        <div className="field-row field-row--basemap">
          <span className="field__label">{t('basemap.label')}</span>
          <div className="segmented" role="group" aria-label={t('basemap.label')}>
            {(['offline', 'online'] as const).map((b) => (
              <button
                key={b}
                type="button"
                className={`segmented__item${state.basemap === b ? ' segmented__item--on' : ''}`}
                aria-pressed={state.basemap === b}
                onClick={() => update!({ basemap: b })}
              >
                {t(`basemap.${b}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
      )}

      {interactive && exportBounds !== undefined && (
        <ExportLinks bounds={exportBounds} layers={state.layers} window={resolveWindow(state, nowMs)} />
      )}
    </div>
  );
}
