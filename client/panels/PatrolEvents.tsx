// The latest worker events (GET /api/patrols/events, refreshed every 10 s): who entered or left a
// grid, went offline or came back, left the grid assigned to them or returned to it. Leaving the
// assigned grid and going offline are marked, as they are what a dispatcher follows up.
import type { ApiClient } from '../api/client.js';
import type { WorkerEventItem } from '../../server/schemas/patrols.js';
import { usePolling, type Polled } from '../api/usePolling.js';
import { useT, type MessageKey } from '../i18n/index.js';
import { formatClock } from '../state/localTime.js';

export const PATROL_EVENTS_REFRESH_MS = 10_000;
const ALERTS = new Set(['left_assigned_grid', 'offline']);

export function usePatrolEvents(api: ApiClient, intervalMs = PATROL_EVENTS_REFRESH_MS): Polled<WorkerEventItem[]> {
  return usePolling('patrol-events:50', (signal) => api.patrolEvents(50, signal), { intervalMs });
}

export function PatrolEvents({ items, timezone, max = 8 }: { items: readonly WorkerEventItem[] | null; timezone: string; max?: number }) {
  const t = useT();
  return (
    <section className="ticker ticker--operator" aria-label={t('patrolEvents.title')} data-testid="patrol-events">
      <h2 className="panel-title">
        <span className="panel-title__mark" aria-hidden />
        {t('patrolEvents.title')}
      </h2>
      {items && items.length === 0 && <p className="ticker__empty">{t('patrolEvents.empty')}</p>}
      <ol className="ticker__list">
        {(items ?? []).slice(0, max).map((e) => (
          <li key={e.id} className="ticker__item" data-event-kind={e.kind}>
            <div className="ticker__button">
              <time className="ticker__time" dateTime={e.time}>{formatClock(e.time, timezone, true)}</time>
              <span className="ticker__body">
                <span className="ticker__category">{e.workerName}</span>
                <span className="ticker__place">{e.gridName ?? ''}</span>
              </span>
              <span className={`status-chip status-chip--${ALERTS.has(e.kind) ? 'returned' : 'closed'}`}>{t(`patrolEvents.kind.${e.kind}` as MessageKey)}</span>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
