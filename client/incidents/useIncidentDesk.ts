// What the operator view adds for handling incidents: the changes since the page opened (live and
// own writes), the overdue flags, picking a place for a report, the extra map layers for them, and
// the handlers that select an incident and fly to it.
import { useCallback, useMemo, useState } from 'react';
import type { Layer } from '@deck.gl/core';
import { usePolling } from '../api/usePolling.js';
import type { CommandCenter } from '../useCommandCenter.js';
import type { Theme } from '../theme.js';
import { incidentsLiveLayer, prepareLiveIncidents, type LiveIncidentPoint } from '../map/layers/incidentsLiveLayer.js';
import { incidentsPickLayer } from '../map/layers/incidentsPickLayer.js';
import { incidentApi, type IncidentApi, type WorkflowIncident } from './api.js';
import { mergeTicker, messageOf, useIncidentChanges } from './incidentChanges.js';

const OVERDUE_REFRESH_MS = 60_000;
const OVERDUE_DAYS = 90;
const FLY_ZOOM = 15.5;

export interface IncidentDesk {
  api: IncidentApi;
  /** Extra layers over the command layers. */
  above: Layer[];
  changeSeq: number;
  /** Bumps when the given incident changed live. */
  seqOf: (id: number) => number;
  reporting: boolean;
  setReporting: (on: boolean) => void;
  picking: boolean;
  setPicking: (on: boolean) => void;
  picked: [number, number] | null;
  /** Select an incident, fly to it. */
  open: (i: { id: number; lon: number; lat: number }) => void;
  flyTo: (lon: number, lat: number) => void;
  onChanged: (incident: WorkflowIncident, action: string) => void;
  onReported: (incident: WorkflowIncident) => void;
  ticker: CommandCenter['recent']['data'];
}

export function useIncidentDesk(cc: CommandCenter, theme: Theme, api: IncidentApi = incidentApi): IncidentDesk {
  const { changes, seq, versions, push } = useIncidentChanges(cc.live?.incidents);
  const [reporting, setReportingState] = useState(false);
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<[number, number] | null>(null);
  const incidentsOn = cc.state.layers.includes('incidents');

  const overdue = usePolling(
    incidentsOn ? 'overdue-flags' : null,
    (signal) => api.list({ overdue: true, from: new Date(Date.now() - OVERDUE_DAYS * 86_400_000).toISOString(), limit: 200 }, signal),
    { intervalMs: OVERDUE_REFRESH_MS },
  );

  const { fly, select, crs } = cc;
  const flyTo = useCallback((lon: number, lat: number) => {
    const d = 0.004;
    fly([lon - d, lat - d, lon + d, lat + d], FLY_ZOOM);
  }, [fly]);
  const open = useCallback((i: { id: number; lon: number; lat: number }) => {
    setReportingState(false);
    setPicking(false);
    select({ kind: 'incident', id: i.id, lon: i.lon, lat: i.lat });
    flyTo(i.lon, i.lat);
  }, [select, flyTo]);
  const setReporting = useCallback((on: boolean) => {
    setReportingState(on);
    setPicking(on);
    setPicked(null);
    if (on) select(null);
  }, [select]);
  const onChanged = useCallback((incident: WorkflowIncident, action: string) => push(messageOf(incident, action)), [push]);
  const onReported = useCallback((incident: WorkflowIncident) => {
    push(messageOf(incident, 'report'));
    open(incident);
  }, [push, open]);
  const onPick = useCallback((p: [number, number]) => {
    setPicked(p);
    setPicking(false);
  }, []);

  const changedIds = useMemo(() => new Set(changes.map((c) => c.id)), [changes]);
  const livePoints = useMemo(() => prepareLiveIncidents(changes, crs), [changes, crs]);
  const overduePoints = useMemo(
    () => (overdue.data ? prepareLiveIncidents(overdue.data.items, crs, changedIds) : []),
    [overdue.data, crs, changedIds],
  );
  const onPointClick = useCallback((p: LiveIncidentPoint) => select({ kind: 'incident', id: p.id, lon: p.lon, lat: p.lat }), [select]);
  const pointsMode = cc.layers.legend.pointsMode;
  const liveLayers = useMemo(() => {
    const [flags, live] = incidentsLiveLayer(livePoints, overduePoints, { theme, visible: incidentsOn, onClick: onPointClick });
    // The points at close zoom ring the overdue ones themselves.
    return flags ? [flags.clone({ visible: incidentsOn && !pointsMode }), live] : [];
  }, [livePoints, overduePoints, theme, incidentsOn, pointsMode, onPointClick]);
  const pickLayers = useMemo(
    () => (reporting ? incidentsPickLayer({ theme, crs, active: picking, picked, onPick }) : []),
    [reporting, theme, crs, picking, picked, onPick],
  );
  const above = useMemo(() => [...liveLayers, ...pickLayers], [liveLayers, pickLayers]);

  const seqOf = useCallback((id: number) => versions.get(id) ?? 0, [versions]);
  const ticker = useMemo(() => mergeTicker(cc.recent.data, changes), [cc.recent.data, changes]);

  return { api, above, changeSeq: seq, seqOf, reporting, setReporting, picking, setPicking, picked, open, flyTo, onChanged, onReported, ticker };
}
