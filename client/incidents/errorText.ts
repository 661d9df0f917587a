// A refused incident request in the UI language: 409 names the current state and what is still
// possible, 403 says why not, 400/422 name the field. The server's own message (English, for
// logs and API users) is kept only as detail.
import { WorkflowError } from './api.js';
import type { IncidentStringKey, IncidentT } from './strings.js';

const FIELD_KEYS: Record<string, IncidentStringKey> = {
  category: 'category', source: 'source', description: 'description', priority: 'priority', address: 'address',
  lon: 'place', lat: 'place', departmentId: 'targetDepartment', rating: 'ratingLabel', comment: 'comment',
  duplicateOf: 'duplicateOfLabel', reason: 'reason', note: 'note', action: 'actions', id: 'code',
};

const actionName = (a: string, t: IncidentT) => t(`action_${a}` as IncidentStringKey);

export function errorText(err: unknown, t: IncidentT, statusName: (s: string) => string): string {
  if (!(err instanceof WorkflowError)) return t('errOther', { message: err instanceof Error ? err.message : String(err) });
  const field = err.field ? t(FIELD_KEYS[err.field] ?? 'none') : '';
  switch (err.status) {
    case 0:
      return t('errOffline');
    case 400:
      return t('err400', { field: field || err.field || '?', message: err.message });
    case 401:
      return t('err401');
    case 403:
      if (/outside your township/.test(err.message)) return t('errOutsideTownship');
      return t('err403', { message: t(/role|dispatcher/.test(err.message) ? 'err403Role' : 'err403Other') });
    case 404:
      return t('err404');
    case 409: {
      const status = typeof err.body.status === 'string' ? statusName(err.body.status) : (err.body.statusLabel ?? '?');
      const allowed = (err.body.allowed ?? []).map((a) => actionName(a, t)).join('、') || t('none');
      return t('err409', { status, allowed });
    }
    case 422:
      if (err.field === 'lon' && /outside the county/.test(err.message)) return t('errOutside');
      return t('err422', { field: field || err.field || '?', message: err.message });
    case 429:
      return t('err429');
    default:
      return t('errOther', { message: err.message });
  }
}
