// The incident list of the operator view (GET /api/incidents/list): the shared filters plus
// overdue, a text search, urgency or newest-first order and paging.
import { Type, type Static } from 'typebox';
import { IncidentFilter } from './incidents.js';
import { WorkflowIncident } from './workflow.js';

export const INCIDENT_LIST_SORTS = ['urgency', 'newest'] as const;
export type IncidentListSort = (typeof INCIDENT_LIST_SORTS)[number];

export const IncidentListQuery = Type.Intersect([IncidentFilter, Type.Object({
  overdue: Type.Optional(Type.Boolean({ description: 'true: only overdue incidents; false: only those not overdue' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'incident code, or words of the description or address' })),
  sort: Type.Optional(Type.Unsafe<IncidentListSort>(Type.String({
    enum: [...INCIDENT_LIST_SORTS], default: 'urgency',
    description: 'urgency: overdue first, then open before finished, priority, nearest deadline; newest: by report time',
  }))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
})]);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

/** A row of the list: the fields of the workflow's incident that the panel shows. */
export const IncidentListItem = Type.Pick(WorkflowIncident, [
  'id', 'code', 'category', 'source', 'status', 'level', 'priority', 'description', 'address', 'lon', 'lat',
  'gridCode', 'village', 'township', 'townshipCode', 'department', 'reportedAt', 'dueAt', 'overdue',
  'returnCount', 'escalationCount',
]);
export type IncidentListItem = Static<typeof IncidentListItem>;

export const IncidentList = Type.Object({
  /** incidents matching the filters (all pages) */
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  items: Type.Array(IncidentListItem),
});
export type IncidentList = Static<typeof IncidentList>;
