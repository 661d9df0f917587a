// The inputs one workflow action needs before it is sent: a note for most; the department for 派遣
// (the category's by default); 1–5 and a comment for 评价; a reason for 退回 (required) and 升级;
// the original incident for 作废 as a duplicate (or a reason). Refusals are shown in Chinese.
import { useState, type FormEvent } from 'react';
import { useT } from '../i18n/index.js';
import { usePolling } from '../api/usePolling.js';
import { WorkflowError, type IncidentApi, type TransitionBody, type TimelineEvent, type WorkflowIncident } from './api.js';
import { errorText } from './errorText.js';
import { useIncidentT, type IncidentStringKey } from './strings.js';
import type { MessageKey } from '../i18n/index.js';

export interface TransitionFormProps {
  api: IncidentApi;
  incidentId: number;
  action: string;
  /** the incident's category (its default department) */
  category: string;
  onDone: (result: { incident: WorkflowIncident; event: TimelineEvent }) => void;
  onCancel: () => void;
  /** The incident changed meanwhile (409): what is shown is out of date. */
  onStale?: () => void;
}

type Action = TransitionBody['action'];

export function TransitionForm({ api, incidentId, action, category, onDone, onCancel, onStale }: TransitionFormProps) {
  const t = useIncidentT();
  const tt = useT();
  const label = t(`action_${action}` as IncidentStringKey);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const departments = usePolling(action === 'dispatch' ? 'incident-departments' : null, (signal) => api.departments(signal));
  const categories = usePolling(action === 'dispatch' ? 'incident-categories' : null, (signal) => api.categories(signal));
  const defaultDept = categories.data?.find((c) => c.name === category);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body: TransitionBody = { action: action as Action };
    if (note.trim()) body.note = note.trim();
    if (action === 'return') {
      if (!reason.trim()) return setError(t('reasonRequired'));
      body.reason = reason.trim();
    }
    if (action === 'escalate' && reason.trim()) body.reason = reason.trim();
    if (action === 'dispatch' && departmentId) body.departmentId = Number(departmentId);
    if (action === 'rate') {
      if (!rating) return setError(t('ratingRequired'));
      body.rating = rating;
      if (comment.trim()) body.comment = comment.trim();
    }
    setBusy(true);
    try {
      if (action === 'void') {
        if (duplicateOf.trim()) {
          const original = await api.find(duplicateOf);
          if (!original) {
            setBusy(false);
            return setError(t('duplicateUnknown', { value: duplicateOf.trim() }));
          }
          body.duplicateOf = original.id;
        }
        if (reason.trim()) body.reason = reason.trim();
        if (body.duplicateOf === undefined && !body.reason) {
          setBusy(false);
          return setError(t('duplicateRequired'));
        }
      }
      const result = await api.transition(incidentId, body);
      onDone(result);
    } catch (err) {
      setError(errorText(err, t, (s) => tt(`status.${s}` as MessageKey)));
      if (err instanceof WorkflowError && err.status === 409) onStale?.();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="incident-form" onSubmit={submit} data-testid="transition-form" data-action={action} noValidate>
      <h4 className="incident-form__title">{label}</h4>
      {action === 'dispatch' && (
        <label className="incident-field">
          <span>{t('targetDepartment')}</span>
          <select name="departmentId" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} disabled={busy}>
            <option value="">{defaultDept?.department ? t('defaultDepartment', { name: defaultDept.department }) : '—'}</option>
            {(departments.data ?? []).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </label>
      )}
      {action === 'rate' && (
        <>
          <fieldset className="incident-field incident-rating">
            <legend>{t('ratingLabel')}</legend>
            {[1, 2, 3, 4, 5].map((r) => (
              <label key={r} className={`incident-rating__star${r <= rating ? ' is-on' : ''}`}>
                <input type="radio" name="rating" value={r} checked={rating === r} onChange={() => setRating(r)} disabled={busy} />
                {r}
              </label>
            ))}
          </fieldset>
          <label className="incident-field">
            <span>{t('comment')}</span>
            <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} disabled={busy} maxLength={2000} />
          </label>
        </>
      )}
      {action === 'void' && (
        <label className="incident-field">
          <span>{t('duplicateOfLabel')}</span>
          <input name="duplicateOf" value={duplicateOf} onChange={(e) => setDuplicateOf(e.target.value)} disabled={busy} placeholder="SJ20260101-0000001" />
        </label>
      )}
      {(action === 'return' || action === 'escalate' || action === 'void') && (
        <label className="incident-field">
          <span>{t('reason')}{action === 'return' ? ' *' : ''}</span>
          <textarea name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} disabled={busy} maxLength={2000} />
        </label>
      )}
      {action !== 'rate' && action !== 'return' && (
        <label className="incident-field">
          <span>{t('note')}</span>
          <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} disabled={busy} maxLength={2000} />
        </label>
      )}
      {error && <p className="incident-form__error" role="alert">{error}</p>}
      <div className="incident-form__buttons">
        <button type="submit" className="incident-btn incident-btn--primary" disabled={busy} data-testid="transition-submit">
          {busy ? t('submitting') : t('submit', { action: label })}
        </button>
        <button type="button" className="incident-btn" onClick={onCancel} disabled={busy}>{t('cancel')}</button>
      </div>
    </form>
  );
}
