// Incidents reported or changed since the page opened: the live channel's `incident` messages and
// this page's own writes, the latest per incident. The map draws them over the minute-old points,
// the ticker takes the urgent new ones, the list and the drawer refetch when they move.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IncidentMessage } from '../../server/schemas/workflow.js';
import type { WorkflowIncident } from './api.js';
import type { RecentIncident } from '../api/client.js';

export type { IncidentMessage };

/** A write's answer as the live channel would have sent it. */
export function messageOf(i: WorkflowIncident, action: string): IncidentMessage {
  return {
    id: i.id, code: i.code, category: i.category, status: i.status, statusLabel: i.statusLabel, action, priority: i.priority,
    lon: i.lon, lat: i.lat, township: i.townshipCode, reportedAt: i.reportedAt,
  };
}

/** Latest message per incident, newest first. `messages` is newest first. */
export function latestPerIncident(messages: readonly IncidentMessage[]): IncidentMessage[] {
  const seen = new Set<number>();
  const out: IncidentMessage[] = [];
  for (const m of messages) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

/**
 * The ticker's items with urgent reports that arrived live put in front (and changed states
 * applied), newest first, at most `max`.
 */
export function mergeTicker(items: readonly RecentIncident[] | null, changes: readonly IncidentMessage[], maxPriority = 1, max = 20): RecentIncident[] | null {
  if (!items && !changes.length) return items as null;
  const byId = new Map((items ?? []).map((i) => [i.id, i]));
  for (const m of changes) {
    const cur = byId.get(m.id);
    if (cur) byId.set(m.id, { ...cur, status: m.status });
    else if (m.priority <= maxPriority) {
      byId.set(m.id, { id: m.id, code: m.code, category: m.category, priority: m.priority, status: m.status, township: null, village: null, reportedAt: m.reportedAt, lon: m.lon, lat: m.lat });
    }
  }
  return [...byId.values()].sort((a, b) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt) || b.id - a.id).slice(0, max);
}

export interface IncidentChanges {
  /** Latest state per incident, newest change first. */
  changes: IncidentMessage[];
  /** Bumps with every message (use as a refetch key). */
  seq: number;
  /** Messages per incident: bumps when that incident changed. */
  versions: ReadonlyMap<number, number>;
  /** Record this page's own write at once (its live echo is then ignored). */
  push(m: IncidentMessage): void;
}

const keyOf = (m: IncidentMessage) => `${m.id}:${m.action}:${m.status}`;

/** `live` is the live channel's list, newest first (a new array for each message). */
export function useIncidentChanges(live: readonly IncidentMessage[] | undefined): IncidentChanges {
  const [{ all, seq }, setState] = useState<{ all: IncidentMessage[]; seq: number }>({ all: [], seq: 0 });
  const add = useCallback((ms: IncidentMessage[]) => setState((s) => ({ all: [...ms, ...s.all].slice(0, 400), seq: s.seq + ms.length })), []);
  // Own writes whose live echo has not come yet: an echo arriving after a later write of ours
  // must not put the incident back into the earlier state.
  const awaiting = useRef(new Map<string, number>());
  const lastHead = useRef<IncidentMessage | null>(null);
  const push = useCallback((m: IncidentMessage) => {
    awaiting.current.set(keyOf(m), (awaiting.current.get(keyOf(m)) ?? 0) + 1);
    add([m]);
  }, [add]);
  useEffect(() => {
    if (!live?.length || live[0] === lastHead.current) return;
    const stop = lastHead.current ? live.indexOf(lastHead.current) : -1;
    const fresh = (stop >= 0 ? live.slice(0, stop) : live).slice().reverse();
    lastHead.current = live[0];
    const kept = fresh.filter((m) => {
      const n = awaiting.current.get(keyOf(m)) ?? 0;
      if (!n) return true;
      if (n === 1) awaiting.current.delete(keyOf(m));
      else awaiting.current.set(keyOf(m), n - 1);
      return false;
    });
    if (kept.length) add(kept.reverse());
  }, [live, add]);
  const changes = useMemo(() => latestPerIncident(all), [all]);
  const versions = useMemo(() => {
    const m = new Map<number, number>();
    for (const x of all) m.set(x.id, (m.get(x.id) ?? 0) + 1);
    return m;
  }, [all]);
  return { changes, seq, versions, push };
}
