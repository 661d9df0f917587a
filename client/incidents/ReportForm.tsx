// Reporting a new incident from the command center: category, the place picked on the map,
// description, source and priority. Once category and place are known the server's duplicate
// hints (same category, near, recent) are shown before anything is saved; each opens that incident.
import { useEffect, useState, type FormEvent } from 'react';
import { useT, type MessageKey } from '../i18n/index.js';
import { usePolling } from '../api/usePolling.js';
import { useSession } from '../auth/useSession.js';
import { INCIDENT_SOURCES, statusGroup } from '../state/domain.js';
import { formatDateTime } from '../state/localTime.js';
import type { DuplicateHint, IncidentApi, ReportBody, WorkflowIncident } from './api.js';
import { canHandleIncidents, DispatcherLogin } from './DispatcherLogin.js';
import { errorText } from './errorText.js';
import { useIncidentT } from './strings.js';
import './incidents.css';

export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_HOURS = 48;

export interface ReportFormProps {
  api: IncidentApi;
  timezone: string;
  /** The place picked on the map (WGS84), null before. */
  picked: [number, number] | null;
  picking: boolean;
  /** Start (true) or stop picking a place on the map. */
  onPicking: (on: boolean) => void;
  onCancel: () => void;
  onReported: (incident: WorkflowIncident, duplicates: DuplicateHint[]) => void;
  /** Open a possible duplicate. */
  onOpen?: (hint: DuplicateHint) => void;
}

export function ReportForm({ api, timezone, picked, picking, onPicking, onCancel, onReported, onOpen }: ReportFormProps) {
  const t = useIncidentT();
  const tt = useT();
  const session = useSession();
  const categories = usePolling('incident-categories', (signal) => api.categories(signal));
  const [category, setCategory] = useState('');
  const [source, setSource] = useState<ReportBody['source']>('command_center');
  const [priority, setPriority] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cat = categories.data?.find((c) => c.name === category);
  const dupKey = category && picked ? `dup:${category}:${picked[0]}:${picked[1]}` : null;
  const duplicates = usePolling(dupKey, (signal) => api.duplicates({ category, lon: picked![0], lat: picked![1] }, signal), { keepPrevious: false });
  // A new place: the error about the old one no longer applies.
  useEffect(() => setError(null), [picked]);

  if (session.user !== undefined && !canHandleIncidents(session.user)) {
    return (
      <section className="incident-drawer" aria-label={t('reportTitle')} data-testid="report-form">
        <header className="incident-drawer__head">
          <h2 className="incident-drawer__title">{t('reportTitle')}</h2>
          <button type="button" className="card__close" onClick={onCancel} aria-label={t('close')}>×</button>
        </header>
        <div className="incident-drawer__body"><DispatcherLogin /></div>
      </section>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!category) return setError(t('categoryRequired'));
    if (!picked) return setError(t('locationRequired'));
    if (!description.trim()) return setError(t('descriptionRequired'));
    setBusy(true);
    setError(null);
    try {
      const body: ReportBody = { category, source, description: description.trim(), lon: picked[0], lat: picked[1] };
      if (priority) body.priority = Number(priority);
      if (address.trim()) body.address = address.trim();
      const res = await api.report(body);
      onReported(res.incident, res.possibleDuplicates);
    } catch (err) {
      setError(errorText(err, t, (s) => tt(`status.${s}` as MessageKey)));
    } finally {
      setBusy(false);
    }
  }

  const groups = [...new Set((categories.data ?? []).map((c) => c.group))];
  const hints = duplicates.data?.duplicates ?? null;
  return (
    <section className="incident-drawer" aria-label={t('reportTitle')} data-testid="report-form">
      <header className="incident-drawer__head">
        <h2 className="incident-drawer__title">{t('reportTitle')}</h2>
        <button type="button" className="card__close" onClick={onCancel} aria-label={t('close')} title={t('close')}>×</button>
      </header>
      <form className="incident-drawer__body incident-form" onSubmit={submit} noValidate>
        <label className="incident-field">
          <span>{t('category')} *</span>
          <select name="category" value={category} onChange={(e) => setCategory(e.target.value)} disabled={busy}>
            <option value="">—</option>
            {groups.map((g) => (
              <optgroup key={g} label={g}>
                {categories.data!.filter((c) => c.group === g).map((c) => <option key={c.code} value={c.name}>{c.name}</option>)}
              </optgroup>
            ))}
          </select>
        </label>
        <div className="incident-field">
          <span>{t('place')} *</span>
          <div className="incident-pick">
            <button type="button" className={`incident-btn${picking ? ' incident-btn--active' : ''}`} onClick={() => onPicking(!picking)} aria-pressed={picking} data-testid="report-pick">
              {t('pickLocation')}
            </button>
            <span className="incident-muted" data-testid="report-picked">
              {picking ? t('pickingHint') : picked ? t('locationPicked', { lon: picked[0].toFixed(5), lat: picked[1].toFixed(5) }) : ''}
            </span>
          </div>
        </div>
        <label className="incident-field">
          <span>{t('description')} *</span>
          <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} placeholder={t('descriptionPlaceholder')} disabled={busy} maxLength={4000} />
        </label>
        <label className="incident-field">
          <span>{t('address')}</span>
          <input name="address" value={address} onChange={(e) => setAddress(e.target.value)} placeholder={t('addressPlaceholder')} disabled={busy} maxLength={300} />
        </label>
        <div className="incident-field-row">
          <label className="incident-field">
            <span>{t('source')}</span>
            <select name="source" value={source} onChange={(e) => setSource(e.target.value as ReportBody['source'])} disabled={busy}>
              {INCIDENT_SOURCES.map((s) => <option key={s} value={s}>{tt(`source.${s}` as MessageKey)}</option>)}
            </select>
          </label>
          <label className="incident-field">
            <span>{t('priority')}</span>
            <select name="priority" value={priority} onChange={(e) => setPriority(e.target.value)} disabled={busy}>
              <option value="">{t('priorityDefault', { priority: cat ? tt(`priority.${cat.defaultPriority}` as MessageKey) : '—' })}</option>
              {[1, 2, 3, 4].map((p) => <option key={p} value={p}>{tt(`priority.${p}` as MessageKey)}</option>)}
            </select>
          </label>
        </div>
        {dupKey && (
          <div className="incident-duplicates" data-testid="report-duplicates" data-count={hints?.length ?? ''}>
            <h4>{t('duplicatesTitle', { radius: DUPLICATE_RADIUS_M, hours: DUPLICATE_HOURS })}</h4>
            {hints && hints.length === 0 && <p className="incident-muted">{t('duplicatesNone')}</p>}
            {hints && hints.length > 0 && (
              <ul>
                {hints.map((h) => (
                  <li key={h.id}>
                    <button type="button" className="incident-duplicate" onClick={() => onOpen?.(h)} data-incident-id={h.id}>
                      <span className={`status-chip status-chip--${statusGroup(h.status)}`}>{tt(`status.${h.status}` as MessageKey)}</span>
                      <span className="incident-duplicate__code">{h.code}</span>
                      <span className="incident-muted">{t('duplicateDistance', { distance: Math.round(h.distanceM) })} · {formatDateTime(h.reportedAt, timezone)}</span>
                      <span className="incident-duplicate__desc">{h.description}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {error && <p className="incident-form__error" role="alert">{error}</p>}
        <div className="incident-form__buttons">
          <button type="submit" className="incident-btn incident-btn--primary" disabled={busy} data-testid="report-submit">
            {busy ? t('submitting') : t('reportSubmit')}
          </button>
          <button type="button" className="incident-btn" onClick={onCancel} disabled={busy}>{t('cancel')}</button>
        </div>
      </form>
    </section>
  );
}
