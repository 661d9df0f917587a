// The incident list of the operator view (GET /api/incidents/list): the shared filters plus
// overdue, a text search, urgency or newest-first order and paging.
import { Type, type Static } from 'typebox';
import { INCIDENT_STATUSES, IncidentFilter } from './incidents.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

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

export const IncidentListItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  category: Type.String(),
  source: Type.String(),
  status: Type.Unsafe<(typeof INCIDENT_STATUSES)[number]>(Type.String({ enum: [...INCIDENT_STATUSES] })),
  level: Type.String(),
  priority: Type.Integer(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  gridCode: Nullable(Type.String()),
  village: Nullable(Type.String()),
  township: Nullable(Type.String()),
  townshipCode: Nullable(Type.String()),
  department: Nullable(Type.String()),
  reportedAt: Type.String(),
  dueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  returnCount: Type.Integer(),
  escalationCount: Type.Integer(),
});
export type IncidentListItem = Static<typeof IncidentListItem>;

export const IncidentList = Type.Object({
  /** incidents matching the filters (all pages) */
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  items: Type.Array(IncidentListItem),
});
export type IncidentList = Static<typeof IncidentList>;
