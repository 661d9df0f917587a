import { Type, type Static } from 'typebox';

export const Kpis = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  dayStart: Type.String({ format: 'date-time', description: 'start of the local day the "today" figures cover' }),
  grids: Type.Integer(),
  workers: Type.Object({ total: Type.Integer(), onDuty: Type.Integer(), patrolling: Type.Integer(), idle: Type.Integer(), outside: Type.Integer() }),
  incidentsToday: Type.Object({
    total: Type.Integer(),
    byStatus: Type.Record(Type.String(), Type.Integer()),
  }),
  /** Share of today's incidents (void excluded) already resolved, rated or closed. */
  closureRateToday: Type.Number(),
  /** Share of the last 30 days' incidents (void excluded) resolved, rated or closed. */
  closureRate30d: Type.Number(),
  /** Mean hours from report to resolution of the incidents resolved in the last 30 days. */
  avgHoursToClose30d: Type.Union([Type.Number(), Type.Null()]),
  overdue: Type.Integer(),
  /** Share of grids with at least one worker position today. */
  patrolCoverageToday: Type.Number(),
  gridsVisitedToday: Type.Integer(),
  topCategoriesToday: Type.Array(Type.Object({ category: Type.String(), count: Type.Integer() })),
  hotlineToday: Type.Integer(),
});
export type Kpis = Static<typeof Kpis>;
