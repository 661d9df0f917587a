// The detail card of what was clicked (operator view) or is being shown in turn (wall): a grid
// (GET /api/grids/:id), a camera (its properties; the stream link when configured), an incident
// (GET /api/incidents/:id) or a grid worker (GET /api/positions/latest in a tiny box around the
// worker: name, role, state, last position).
import { useEffect, useState, type ReactNode } from 'react';
import type { ApiClient, CameraProperties, GridDetail, IncidentDetail, LatestPosition } from '../api/client.js';
import { useLocale, useT, type MessageKey } from '../i18n/index.js';
import { formatClock, formatDateTime } from '../state/localTime.js';
import { statusGroup } from '../state/domain.js';
import { shortRegionName } from '../map/layers/regionsLayer.js';
import type { Selection } from '../map/useCommandLayers.js';

type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: Error };

function useDetail<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useEffect(() => {
    if (key === null) return;
    const ac = new AbortController();
    setState({ status: 'loading' });
    load(ac.signal).then(
      (data) => setState({ status: 'ready', data }),
      (err: unknown) => {
        if (!ac.signal.aborted) setState({ status: 'error', error: err instanceof Error ? err : new Error(String(err)) });
      },
    );
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

function Rows({ rows }: { rows: Array<[string, string, ReactNode] | null | false> }) {
  return (
    <dl className="card__rows">
      {rows.filter(Boolean).map((r) => {
        const [field, label, value] = r as [string, string, ReactNode];
        return (
          <div className="card__row" key={field}>
            <dt>{label}</dt>
            <dd data-field={field}>{value}</dd>
          </div>
        );
      })}
    </dl>
  );
}

function Shell({ kind, title, badge, onClose, children, testId }: { kind: string; title: ReactNode; badge?: ReactNode; onClose?: () => void; children: ReactNode; testId: string }) {
  const t = useT();
  return (
    <article className={`card card--${kind}`} data-testid={testId} aria-live="polite">
      <header className="card__head">
        <span className="card__kind">{t(`card.${kind}` as MessageKey)}</span>
        <h3 className="card__title">{title}</h3>
        {badge}
        {onClose && (
          <button type="button" className="card__close" onClick={onClose} aria-label={t('card.close')} title={t('card.close')}>
            ×
          </button>
        )}
      </header>
      {children}
    </article>
  );
}

function Status({ state }: { state: Loaded<unknown> }) {
  const t = useT();
  if (state.status === 'loading') return <p className="card__status">{t('card.loading')}</p>;
  if (state.status === 'error') return <p className="card__status card__status--error">{t('card.error', { message: state.error.message })}</p>;
  return null;
}

export function GridCard({ api, id, timezone, onClose }: { api: ApiClient; id: number; timezone: string; onClose?: () => void }) {
  const t = useT();
  const [locale] = useLocale();
  const state = useDetail<GridDetail>(`grid:${id}`, (signal) => api.gridDetail(id, signal));
  if (state.status !== 'ready') {
    return <Shell kind="grid" title="…" onClose={onClose} testId="grid-card"><Status state={state} /></Shell>;
  }
  const g = state.data;
  const p = g.patrolToday;
  return (
    <Shell
      kind="grid"
      title={g.name}
      badge={<span className={`kind-badge kind-badge--${g.kind}`}>{t(g.kind === 'urban' ? 'kind.urban' : 'kind.rural')}</span>}
      onClose={onClose}
      testId="grid-card"
    >
      <Rows
        rows={[
          ['code', t('card.code'), g.code],
          ['township', t('card.township'), g.township.name],
          ['village', t('card.village'), shortRegionName(g.village.name)],
          ['area', t('card.area'), t('card.areaValue', { value: g.areaKm2.toLocaleString(locale, { maximumFractionDigits: 2 }) })],
          ['incidentsToday', t('card.incidentsToday'), t('card.incidentsTodayValue', { total: g.incidentsToday.total, open: g.incidentsToday.open, overdue: g.incidentsToday.overdue })],
          [
            'patrolToday',
            t('card.patrolToday'),
            p.visited && p.firstVisit && p.lastVisit ? (
              <span className="text-good">{t('card.visited', { workers: p.workers, first: formatClock(p.firstVisit, timezone), last: formatClock(p.lastVisit, timezone) })}</span>
            ) : (
              <span className="text-bad">{t('card.notVisited')}</span>
            ),
          ],
        ]}
      />
      <h4 className="card__sub">{t('card.workers')}</h4>
      {g.workers.length === 0 ? (
        <p className="card__muted">{t('card.noWorkers')}</p>
      ) : (
        <ul className="card__workers" data-field="workers">
          {g.workers.map((w) => (
            <li key={w.id}>
              <span className={`dot dot--${w.state ?? 'offline'}`} />
              <span className="card__workername">{w.name}</span>
              <span className="card__muted">{t(`role.${w.role}` as MessageKey)}</span>
              <span className="card__workerstate">{w.state ? t(`worker.${w.state}` as MessageKey) : t('worker.offline')}</span>
            </li>
          ))}
        </ul>
      )}
      {g.recentIncidents.length > 0 && (
        <>
          <h4 className="card__sub">{t('card.recent')}</h4>
          <ul className="card__incidents">
            {g.recentIncidents.map((i) => (
              <li key={i.id}>
                <span className="card__muted">{formatDateTime(i.reportedAt, timezone)}</span>
                <span>{i.category}</span>
                <span className={`status-chip status-chip--${statusGroup(i.status)}`}>{t(`status.${i.status}` as MessageKey)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {g.workers.length > 0 && <p className="card__note">{t('card.tracksShown')}</p>}
    </Shell>
  );
}

export function CameraCard({ camera, onClose }: { camera: CameraProperties; onClose?: () => void }) {
  const t = useT();
  return (
    <Shell
      kind="camera"
      title={camera.name}
      badge={<span className={`status-chip status-chip--${camera.status === 'online' ? 'done' : 'void'}`}>{t(`camera.status.${camera.status}` as MessageKey)}</span>}
      onClose={onClose}
      testId="camera-card"
    >
      <Rows
        rows={[
          ['code', t('card.code'), camera.code],
          ['kind', t('card.kind'), t(`camera.kind.${camera.kind}` as MessageKey)],
          ['status', t('card.status'), t(`camera.status.${camera.status}` as MessageKey)],
          ['heading', t('card.heading'), t('card.headingValue', { heading: Math.round(camera.heading), fov: Math.round(camera.fov) })],
          ['range', t('card.range'), t('card.rangeValue', { value: Math.round(camera.rangeM) })],
          camera.gridCode ? ['grid', t('card.gridCode'), camera.gridCode] : null,
        ]}
      />
      {camera.streamUrl ? (
        <a className="card__action" href={camera.streamUrl} target="_blank" rel="noreferrer noopener" data-field="stream">
          {t('card.stream')}
        </a>
      ) : (
        <p className="card__muted" data-field="stream">{t('card.noStream')}</p>
      )}
    </Shell>
  );
}

export function IncidentCard({ api, id, timezone, onClose }: { api: ApiClient; id: number; timezone: string; onClose?: () => void }) {
  const t = useT();
  const state = useDetail<IncidentDetail>(`incident:${id}`, (signal) => api.incidentDetail(id, signal));
  if (state.status !== 'ready') {
    return <Shell kind="incident" title="…" onClose={onClose} testId="incident-card"><Status state={state} /></Shell>;
  }
  const i = state.data;
  return (
    <Shell
      kind="incident"
      title={i.category}
      badge={<span className={`status-chip status-chip--${statusGroup(i.status)}`}>{t(`status.${i.status}` as MessageKey)}</span>}
      onClose={onClose}
      testId="incident-card"
    >
      <p className="card__text">{i.description}</p>
      <Rows
        rows={[
          ['code', t('card.code'), i.code],
          ['priority', t('card.priority'), <span className={i.priority <= 1 ? 'text-bad' : undefined}>{t(`priority.${Math.min(4, Math.max(1, i.priority))}` as MessageKey)}</span>],
          ['source', t('card.source'), t(`source.${i.source}` as MessageKey)],
          ['reportedAt', t('card.reportedAt'), formatDateTime(i.reportedAt, timezone)],
          i.dueAt ? ['dueAt', t('card.dueAt'), <span className={i.overdue ? 'text-bad' : undefined}>{formatDateTime(i.dueAt, timezone)}{i.overdue ? ` · ${t('card.overdue')}` : ''}</span>] : null,
          ['place', t('card.place'), [i.township, i.village && shortRegionName(i.village), i.grid?.name].filter(Boolean).join(' · ')],
          i.address ? ['address', t('card.address'), i.address] : null,
          i.department ? ['department', t('card.department'), i.department] : null,
        ]}
      />
    </Shell>
  );
}

export function WorkerCard({ api, workerId, lon, lat, timezone, onClose }: { api: ApiClient; workerId: number; lon: number; lat: number; timezone: string; onClose?: () => void }) {
  const t = useT();
  const d = 0.0005;
  const state = useDetail<LatestPosition | null>(`worker:${workerId}:${lon}:${lat}`, async (signal) => {
    const rows = await api.latestPositions({ bbox: [lon - d, lat - d, lon + d, lat + d] }, signal);
    return rows.find((r) => r.workerId === workerId) ?? null;
  });
  if (state.status !== 'ready') {
    return <Shell kind="worker" title="…" onClose={onClose} testId="worker-card"><Status state={state} /></Shell>;
  }
  const w = state.data;
  if (!w) return <Shell kind="worker" title={`#${workerId}`} onClose={onClose} testId="worker-card"><p className="card__muted">—</p></Shell>;
  return (
    <Shell
      kind="worker"
      title={w.name}
      badge={<span className={`worker-chip worker-chip--${w.state}`}>{t(`worker.${w.state}` as MessageKey)}</span>}
      onClose={onClose}
      testId="worker-card"
    >
      <Rows
        rows={[
          ['role', t('card.role'), t(`role.${w.role}` as MessageKey)],
          ['lastSeen', t('card.lastSeen'), formatDateTime(w.time, timezone)],
          w.speed !== null ? ['speed', t('card.speed'), t('card.speedValue', { value: w.speed.toFixed(1) })] : null,
        ]}
      />
      <p className="card__note">{t('card.tracksShown')}</p>
    </Shell>
  );
}

/** The card for the current selection, or nothing. */
export function SelectionCard({ api, selection, timezone, onClose }: { api: ApiClient; selection: Selection; timezone: string; onClose?: () => void }) {
  if (!selection) return null;
  switch (selection.kind) {
    case 'grid':
      return <GridCard api={api} id={selection.id} timezone={timezone} onClose={onClose} />;
    case 'camera':
      return <CameraCard camera={selection.camera} onClose={onClose} />;
    case 'incident':
      return <IncidentCard api={api} id={selection.id} timezone={timezone} onClose={onClose} />;
    case 'worker':
      return (
        <WorkerCard
          api={api}
          workerId={selection.workerId}
          lon={selection.lon}
          lat={selection.lat}
          timezone={timezone}
          onClose={onClose}
        />
      );
  }
}
