// The detail drawer of one incident: its fields, the timeline of its transitions (who, when, from →
// to, note), and a button for each action the logged-in user may take now (GET …/actions), each
// opening the inputs it needs. Reloads when the incident changes (live or by this page).
import { useEffect, useState } from 'react';
import { useT, type MessageKey } from '../i18n/index.js';
import { usePolling } from '../api/usePolling.js';
import { useSession } from '../auth/useSession.js';
import { statusGroup } from '../state/domain.js';
import { formatDateTime } from '../state/localTime.js';
import { shortRegionName } from '../map/layers/regionsLayer.js';
import type { IncidentDetail } from '../api/client.js';
import type { IncidentApi, TimelineEvent, WorkflowIncident } from './api.js';
import { canHandleIncidents, DispatcherLogin } from './DispatcherLogin.js';
import { errorText } from './errorText.js';
import { useIncidentT, type IncidentStringKey, type IncidentT } from './strings.js';
import { TransitionForm } from './TransitionForm.js';
import './incidents.css';

export interface IncidentDrawerProps {
  api: IncidentApi;
  id: number;
  timezone: string;
  onClose: () => void;
  onFly?: (lon: number, lat: number) => void;
  /** After this page changed the incident. */
  onChanged?: (incident: WorkflowIncident, action: string) => void;
  /** Bumps when a live message about this incident arrived. */
  changeSeq?: number;
}

/** What the drawer shows: the workflow view when logged in, else the public detail. */
type Shown = Pick<WorkflowIncident, 'id' | 'code' | 'category' | 'source' | 'status' | 'priority' | 'description' | 'address' | 'lon' | 'lat' | 'township' | 'village' | 'gridCode' | 'department' | 'reportedAt' | 'dueAt' | 'closedAt' | 'overdue' | 'rating'>
  & Partial<Pick<WorkflowIncident, 'level' | 'ratingComment' | 'duplicateOf' | 'returnCount' | 'escalationCount'>>;

const fromDetail = (d: IncidentDetail): Shown => ({ ...d, status: d.status as Shown['status'], gridCode: d.grid?.code ?? null });

export function IncidentDrawer({ api, id, timezone, onClose, onFly, onChanged, changeSeq = 0 }: IncidentDrawerProps) {
  const t = useIncidentT();
  const tt = useT();
  const session = useSession();
  const user = session.user;
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    setForm(null);
    setDone(null);
  }, [id]);
  const base = `${id}:${changeSeq}:${reload}:${user?.id ?? 'none'}`;
  const timeline = usePolling(user ? `tl:${base}` : null, (signal) => api.timeline(id, signal), { keepPrevious: true });
  const detail = usePolling(user === null ? `detail:${base}` : null, (signal) => api.client.incidentDetail(id, signal), { keepPrevious: true });
  const mayAct = canHandleIncidents(user);
  const actKey = mayAct ? `act:${base}` : null;
  // Buttons only for the state just loaded: never an action of the state before.
  const actions = usePolling(actKey, (signal) => api.actions(id, signal), { keepPrevious: true });
  const mine = (key: string | null) => Boolean(key && key.split(':')[1] === String(id));

  const shown: Shown | null = timeline.data && mine(timeline.dataKey) ? timeline.data.incident
    : detail.data && mine(detail.dataKey) ? fromDetail(detail.data) : null;
  const events = timeline.data && mine(timeline.dataKey) ? timeline.data.events : null;
  const error = timeline.error ?? detail.error;
  const statusName = (s: string) => tt(`status.${s}` as MessageKey);

  return (
    <aside className="incident-drawer" aria-label={t('drawerTitle')} data-testid="incident-drawer" data-incident-id={id} data-status={shown?.status}>
      <header className="incident-drawer__head">
        <span className="incident-drawer__kind">{t('drawerTitle')}</span>
        <h2 className="incident-drawer__title">{shown?.code ?? '…'}</h2>
        {shown && <span className={`status-chip status-chip--${statusGroup(shown.status)}`} data-testid="incident-status">{statusName(shown.status)}</span>}
        <button type="button" className="card__close" onClick={onClose} aria-label={t('close')} title={t('close')}>×</button>
      </header>
      <div className="incident-drawer__body">
        {!shown && error && <p className="incident-form__error" role="alert">{errorText(error, t, statusName)}</p>}
        {!shown && !error && <p className="incident-muted">{t('listLoading')}</p>}
        {shown && <Fields s={shown} t={t} timezone={timezone} onFly={onFly} />}

        {shown && (
          <section className="incident-section" data-testid="incident-actions">
            <h3>{t('actions')}</h3>
            {done && <p className="incident-done" role="status">{done}</p>}
            {!mayAct && user !== undefined && <DispatcherLogin />}
            {mayAct && form && (
              <TransitionForm
                key={`${form}:${id}`}
                api={api}
                incidentId={id}
                action={form}
                category={shown.category}
                onCancel={() => setForm(null)}
                onStale={() => setReload((n) => n + 1)}
                onDone={({ incident }) => {
                  setDone(t('done', { action: t(`action_${form}` as IncidentStringKey) }));
                  setForm(null);
                  setReload((n) => n + 1);
                  onChanged?.(incident, form);
                }}
              />
            )}
            {mayAct && !form && actions.data && actions.dataKey === actKey && (
              actions.data.actions.length ? (
                <div className="incident-actions">
                  {actions.data.actions.map((a) => (
                    <button
                      key={a.action}
                      type="button"
                      className={`incident-btn incident-action incident-action--${a.action}`}
                      onClick={() => { setDone(null); setForm(a.action); }}
                      data-action={a.action}
                      title={`→ ${statusName(a.to)}`}
                    >
                      {t(`action_${a.action}` as IncidentStringKey)}
                    </button>
                  ))}
                </div>
              ) : (
                <p className="incident-muted">{t('noActions')}</p>
              )
            )}
            {mayAct && actions.error && <p className="incident-form__error" role="alert">{errorText(actions.error, t, statusName)}</p>}
          </section>
        )}

        {shown && (
          <section className="incident-section">
            <h3>{t('timeline')}</h3>
            {user === null && <p className="incident-muted">{t('timelineLogin')}</p>}
            {events && events.length === 0 && <p className="incident-muted">{t('timelineEmpty')}</p>}
            {events && <Timeline events={events} t={t} timezone={timezone} statusName={statusName} />}
          </section>
        )}
      </div>
    </aside>
  );
}

function Fields({ s, t, timezone, onFly }: { s: Shown; t: IncidentT; timezone: string; onFly?: (lon: number, lat: number) => void }) {
  const tt = useT();
  const rows: Array<[string, React.ReactNode, string]> = [
    ['category', s.category, 'category'],
    ['source', tt(`source.${s.source}` as MessageKey), 'source'],
    ['priority', tt(`priority.${s.priority}` as MessageKey), 'priority'],
  ];
  if (s.level) rows.push(['level', t(`level_${s.level}` as IncidentStringKey), 'level']);
  rows.push(['place', [s.township, s.village && shortRegionName(s.village), s.gridCode].filter(Boolean).join(' · ') || '—', 'place']);
  if (s.address) rows.push(['address', s.address, 'address']);
  rows.push(['department', s.department ?? '—', 'department']);
  rows.push(['reportedAt', formatDateTime(s.reportedAt, timezone), 'reportedAt']);
  if (s.dueAt) {
    rows.push(['dueAt', <>
      {formatDateTime(s.dueAt, timezone)}
      {s.overdue && <span className="incident-badge incident-badge--overdue">{t('overdue')}</span>}
    </>, 'dueAt']);
  }
  if (s.closedAt) rows.push(['closedAt', formatDateTime(s.closedAt, timezone), 'closedAt']);
  if (s.rating !== null && s.rating !== undefined) rows.push(['rating', `${t('ratingValue', { rating: s.rating })}${s.ratingComment ? ` · ${s.ratingComment}` : ''}`, 'rating']);
  if (s.duplicateOf) rows.push(['duplicateOf', `#${s.duplicateOf}`, 'duplicateOf']);
  return (
    <>
      <p className="incident-drawer__desc" data-testid="incident-description">{s.description}</p>
      <dl className="incident-fields">
        {rows.map(([key, value, field]) => (
          <div key={key} data-field={field}>
            <dt>{t(key as IncidentStringKey)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {onFly && (
        <button type="button" className="link-button" onClick={() => onFly(s.lon, s.lat)} data-testid="incident-fly">
          {t('flyTo')}
        </button>
      )}
    </>
  );
}

function eventDetail(e: TimelineEvent, t: IncidentT): string | null {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.department === 'string') parts.push(`${t('department')}：${d.department}`);
  if (typeof d.rating === 'number') parts.push(t('ratingValue', { rating: d.rating }) + (d.comment ? ` · ${String(d.comment)}` : ''));
  if (typeof d.reason === 'string' && d.reason !== e.note) parts.push(`${t('reason')}：${d.reason}`);
  if (typeof d.duplicateOfCode === 'string') parts.push(`${t('duplicateOf')} ${d.duplicateOfCode}`);
  if (typeof d.toLevel === 'string') parts.push(`→ ${t(`level_${d.toLevel}` as IncidentStringKey)}`);
  return parts.length ? parts.join('；') : null;
}

function Timeline({ events, t, timezone, statusName }: { events: TimelineEvent[]; t: IncidentT; timezone: string; statusName: (s: string) => string }) {
  const actorName = (e: TimelineEvent) => (e.actor.kind === 'user' ? e.actor.name : `${t(`actor_${e.actor.kind}` as IncidentStringKey) ?? e.actor.kind}${e.actor.name ? ` · ${e.actor.name}` : ''}`);
  return (
    <ol className="incident-timeline" data-testid="incident-timeline">
      {events.map((e) => {
        const extra = eventDetail(e, t);
        return (
          <li key={e.seq} className={`incident-timeline__item incident-timeline__item--${statusGroup(e.to)}`} data-action={e.action} data-to={e.to}>
            <div className="incident-timeline__line">
              <b>{t(`action_${e.action}` as IncidentStringKey)}</b>
              <span className="incident-muted">{e.from ? `${statusName(e.from)} → ${statusName(e.to)}` : statusName(e.to)}</span>
            </div>
            <div className="incident-timeline__meta">
              <time dateTime={e.at}>{formatDateTime(e.at, timezone)}</time>
              <span>{actorName(e)}</span>
            </div>
            {e.note && <p className="incident-timeline__note">{e.note}</p>}
            {extra && <p className="incident-timeline__note incident-muted">{extra}</p>}
          </li>
        );
      })}
    </ol>
  );
}
