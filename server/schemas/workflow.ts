import { Type, type Static } from 'typebox';
import { INCIDENT_SOURCES, INCIDENT_STATUSES } from './incidents.js';
import { WORKFLOW_ACTIONS } from '../domain/incidentWorkflow.js';

/** A string from a fixed list, typed as its union. */
const oneOf = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>(Type.String({ enum: [...values], ...(description ? { description } : {}) }));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ReportBody = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 40, description: 'category name (环境卫生, …) or its code (C01, …)' }),
  source: oneOf(INCIDENT_SOURCES),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: '1 = most urgent; default: the category\'s' })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  reporterWorkerId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  photoUrl: Type.Optional(Type.String({ maxLength: 2000, pattern: '^(https?://|/)\\S+$' })),
  /** 小事不出网格: settled by the grid worker on the spot (needs photoUrl) */
  resolvedOnSite: Type.Optional(Type.Boolean()),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type ReportBody = Static<typeof ReportBody>;

export const WorkflowAction = oneOf(WORKFLOW_ACTIONS);

export const TransitionBody = Type.Object({
  action: WorkflowAction,
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  /** dispatch: department id (default: the category's department) */
  departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  /** rate: 1–5 */
  rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  /** void: the original incident this one duplicates */
  duplicateOf: Type.Optional(Type.Integer({ minimum: 1 })),
  /** return (required), void (when not a duplicate) */
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
}, { additionalProperties: false });
export type TransitionBody = Static<typeof TransitionBody>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const WorkflowIncident = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  category: Type.String(),
  source: Type.String(),
  status: oneOf(INCIDENT_STATUSES),
  statusLabel: Type.String(),
  level: Type.String(),
  priority: Type.Integer(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  gridId: Nullable(Type.Integer()),
  gridCode: Nullable(Type.String()),
  villageId: Nullable(Type.Integer()),
  village: Nullable(Type.String()),
  townshipId: Nullable(Type.Integer()),
  township: Nullable(Type.String()),
  townshipCode: Nullable(Type.String()),
  departmentId: Nullable(Type.Integer()),
  department: Nullable(Type.String()),
  assignedWorkerId: Nullable(Type.Integer()),
  reporterWorkerId: Nullable(Type.Integer()),
  photoUrl: Nullable(Type.String()),
  resolvedOnSite: Type.Boolean(),
  duplicateOf: Nullable(Type.Integer()),
  reportedAt: Type.String(),
  acceptedAt: Nullable(Type.String()),
  dispatchedAt: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  ratedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  rating: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  returnCount: Type.Integer(),
  escalationCount: Type.Integer(),
});
export type WorkflowIncident = Static<typeof WorkflowIncident>;

export const DuplicateHint = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  description: Type.String(),
  reportedAt: Type.String(),
  distanceM: Type.Number(),
});
export type DuplicateHint = Static<typeof DuplicateHint>;

export const DuplicatesQuery = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 40 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  radius: Type.Optional(Type.Number({ minimum: 1, maximum: 5000, default: 200, description: 'metres' })),
  hours: Type.Optional(Type.Number({ minimum: 1, maximum: 720, default: 48 })),
});
export type DuplicatesQuery = Static<typeof DuplicatesQuery>;

export const ReportResult = Type.Object({
  incident: WorkflowIncident,
  possibleDuplicates: Type.Array(DuplicateHint),
});

export const TimelineEvent = Type.Object({
  seq: Type.Integer(),
  from: Nullable(Type.String()),
  fromLabel: Nullable(Type.String()),
  to: Type.String(),
  toLabel: Type.String(),
  action: Type.String(),
  actionLabel: Type.String(),
  actor: Type.Object({ kind: Type.String(), userId: Nullable(Type.Integer()), name: Type.String() }),
  at: Type.String(),
  note: Nullable(Type.String()),
  data: Type.Unknown(),
});
export type TimelineEvent = Static<typeof TimelineEvent>;

export const TransitionResult = Type.Object({ incident: WorkflowIncident, event: TimelineEvent });
export const Timeline = Type.Object({ incident: WorkflowIncident, events: Type.Array(TimelineEvent) });

export const AllowedActions = Type.Object({
  status: Type.String(),
  statusLabel: Type.String(),
  level: Type.String(),
  actions: Type.Array(Type.Object({ action: Type.String(), label: Type.String(), to: Type.String(), toLabel: Type.String() })),
});

export const CategoryInfo = Type.Object({
  code: Type.String(),
  name: Type.String(),
  group: Type.String(),
  description: Type.String(),
  departmentId: Nullable(Type.Integer()),
  departmentCode: Type.String(),
  department: Nullable(Type.String()),
  defaultPriority: Type.Integer(),
  slaHours: Type.Object({ accept: Type.Number(), dispatch: Type.Number(), start: Type.Number(), resolve: Type.Number(), close: Type.Number() }),
});

/** Sent on the live channel ('incident') for each new incident and each state change. */
export const IncidentMessage = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  category: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  action: Type.String(),
  priority: Type.Integer(),
  lon: Type.Number(),
  lat: Type.Number(),
  township: Nullable(Type.String()),
  reportedAt: Type.String(),
});
export type IncidentMessage = Static<typeof IncidentMessage>;
