import { Type, type Static } from 'typebox';

const date = (description: string) => Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description }));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const REPORT_PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export const REPORT_UNITS = ['grid', 'village', 'township', 'department'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export type ReportUnit = (typeof REPORT_UNITS)[number];

export const ReportQuery = Type.Object({
  period: Type.Optional(Type.Unsafe<ReportPeriod>(Type.String({ enum: [...REPORT_PERIODS], description: '日汇总 day, 周会商 week (Monday–Sunday), 月分析 month, 季考核 quarter' }))),
  date: date('a day inside the period (local date); default today'),
  from: date('explicit first day (local), instead of period/date'),
  to: date('explicit last day (local, inclusive)'),
  by: Type.Optional(Type.Unsafe<ReportUnit>(Type.String({ enum: [...REPORT_UNITS], default: 'township', description: 'unit: grid, village, township or department' }))),
  format: Type.Optional(Type.Unsafe<'json' | 'csv'>(Type.String({ enum: ['json', 'csv'], default: 'json' }))),
}, { additionalProperties: false });
export type ReportQuery = Static<typeof ReportQuery>;

export const ReportFigures = Type.Object({
  /** incidents reported in the period (by the unit recorded at report time) */
  reported: Type.Integer(),
  /** of those, voided (duplicates, out of scope) */
  void: Type.Integer(),
  /** of those, 结案 closed by now */
  closed: Type.Integer(),
  /** closed ÷ (reported − void) */
  closureRate: Nullable(Type.Number()),
  /** hours from report to 结案, mean and 90th percentile, over the closed ones */
  avgHoursToClose: Nullable(Type.Number()),
  p90HoursToClose: Nullable(Type.Number()),
  /** still being handled with the step's deadline passed (OVERDUE_SQL) */
  overdue: Type.Integer(),
  /** returned at least once (or waiting in 退回 now) */
  returned: Type.Integer(),
  rated: Type.Integer(),
  /** mean rating 1–5 */
  satisfaction: Nullable(Type.Number()),
});
export type ReportFigures = Static<typeof ReportFigures>;

export const ReportRow = Type.Intersect([
  Type.Object({
    unit: Type.Object({ id: Nullable(Type.Integer()), code: Nullable(Type.String()), name: Nullable(Type.String()), parent: Nullable(Type.String()) }),
  }),
  ReportFigures,
]);
export type ReportRow = Static<typeof ReportRow>;

export const Report = Type.Object({
  period: Type.String(),
  by: Type.String(),
  /** local first and last day */
  firstDay: Type.String(),
  lastDay: Type.String(),
  /** the half-open window [from, to) in UTC */
  from: Type.String(),
  to: Type.String(),
  generatedAt: Type.String(),
  total: ReportFigures,
  rows: Type.Array(ReportRow),
});
export type Report = Static<typeof Report>;
