// Reports for the regular meetings (日汇总、周会商、月分析、季考核): per grid / village / township /
// department, the incidents reported in the period — counted where they were recorded at report
// time (the boundaries valid then) — with closure, time to close, overdue, returns and satisfaction.
// One SQL statement for any period; CSV for spreadsheets (UTF-8 with BOM so Excel reads Chinese).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { OVERDUE_SQL } from '../domain/incidentFilter.js';
import { badRequest, HttpError } from '../http/errors.js';
import { Report, ReportQuery, type ReportFigures, type ReportPeriod, type ReportRow, type ReportUnit } from '../schemas/reports.js';

const DAY = 86_400_000;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const parseDay = (field: string, s: string) => {
  const ms = Date.parse(`${s}T00:00:00Z`);
  if (Number.isNaN(ms) || ymd(ms) !== s) throw badRequest(field, `not a valid date: ${s}`);
  return ms;
};

/** Today's date in the time zone. */
export function localDate(tz: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** First and last local day of the period containing `date` (weeks run Monday to Sunday). */
export function periodDays(period: ReportPeriod, date: string): { firstDay: string; lastDay: string } {
  const ms = parseDay('date', date);
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (period) {
    case 'day': return { firstDay: date, lastDay: date };
    case 'week': {
      const first = ms - ((d.getUTCDay() + 6) % 7) * DAY;
      return { firstDay: ymd(first), lastDay: ymd(first + 6 * DAY) };
    }
    case 'month': return { firstDay: ymd(Date.UTC(y, m, 1)), lastDay: ymd(Date.UTC(y, m + 1, 1) - DAY) };
    case 'quarter': {
      const q = Math.floor(m / 3) * 3;
      return { firstDay: ymd(Date.UTC(y, q, 1)), lastDay: ymd(Date.UTC(y, q + 3, 1) - DAY) };
    }
  }
}

const UNITS: Record<ReportUnit, { key: string; units: string; fallback: string }> = {
  grid: {
    key: 'i.grid_id',
    units: `SELECT g.id, g.code, g.name, v.name AS parent FROM grids g JOIN regions v ON v.id = g.village_id`,
    // a grid split or merged away since: its last recorded version
    fallback: `(SELECT json_build_object('code', gv.code, 'name', gv.name) FROM grid_versions gv WHERE gv.grid_id = a.unit_id ORDER BY gv.version DESC LIMIT 1)`,
  },
  village: {
    key: 'i.village_id',
    units: `SELECT v.id, v.code, v.name, t.name AS parent FROM regions v JOIN regions t ON t.id = v.parent_id WHERE v.kind = 'village'`,
    fallback: 'NULL::json',
  },
  township: {
    key: 'i.township_id',
    units: `SELECT t.id, t.code, t.name, c.name AS parent FROM regions t JOIN regions c ON c.id = t.parent_id WHERE t.kind = 'township'`,
    fallback: 'NULL::json',
  },
  department: {
    key: 'i.department_id',
    units: `SELECT d.id, d.code, d.name, d.kind AS parent FROM departments d`,
    fallback: 'NULL::json',
  },
};

/** The report as one statement: $1 first local day, $2 last local day (inclusive), $3 time zone. */
export function reportSql(by: ReportUnit): string {
  const u = UNITS[by];
  return `
WITH w AS (SELECT ($1::date::timestamp AT TIME ZONE $3) AS f, (($2::date + 1)::timestamp AT TIME ZONE $3) AS t),
agg AS (
  SELECT ${u.key} AS unit_id, grouping(${u.key}) AS is_total,
    count(*)::int AS reported,
    count(*) FILTER (WHERE i.status = 'void')::int AS void,
    count(*) FILTER (WHERE i.status = 'closed')::int AS closed,
    avg(extract(epoch FROM i.closed_at - i.reported_at) / 3600) FILTER (WHERE i.status = 'closed') AS avg_h,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.closed_at - i.reported_at) / 3600) FILTER (WHERE i.status = 'closed') AS p90_h,
    count(*) FILTER (WHERE ${OVERDUE_SQL})::int AS overdue,
    count(*) FILTER (WHERE i.return_count > 0 OR i.status = 'returned')::int AS returned,
    count(i.rating)::int AS rated,
    avg(i.rating) AS satisfaction
  FROM incidents i, w
  WHERE i.reported_at >= w.f AND i.reported_at < w.t
  GROUP BY GROUPING SETS ((${u.key}), ())
),
units AS (${u.units})
SELECT (SELECT f FROM w) AS win_from, (SELECT t FROM w) AS win_to, false AS is_total,
       coalesce(u.id, a.unit_id) AS unit_id, u.code, u.name, u.parent, ${u.fallback} AS fallback,
       a.reported, a.void, a.closed, a.avg_h, a.p90_h, a.overdue, a.returned, a.rated, a.satisfaction
FROM units u FULL JOIN (SELECT * FROM agg WHERE is_total = 0) a ON a.unit_id = u.id
UNION ALL
SELECT (SELECT f FROM w), (SELECT t FROM w), true, NULL, NULL, NULL, NULL, NULL,
       a.reported, a.void, a.closed, a.avg_h, a.p90_h, a.overdue, a.returned, a.rated, a.satisfaction
FROM agg a WHERE a.is_total = 1`;
}

const round = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? null : Math.round(Number(v) * 10 ** digits) / 10 ** digits);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function figures(r: any): ReportFigures {
  const reported = r.reported ?? 0;
  const voids = r.void ?? 0;
  const closed = r.closed ?? 0;
  return {
    reported, void: voids, closed,
    closureRate: reported - voids > 0 ? round(closed / (reported - voids), 4) : null,
    avgHoursToClose: round(r.avg_h, 2), p90HoursToClose: round(r.p90_h, 2),
    overdue: r.overdue ?? 0, returned: r.returned ?? 0, rated: r.rated ?? 0, satisfaction: round(r.satisfaction, 2),
  };
}

export interface ReportRequest { period?: ReportPeriod; date?: string; from?: string; to?: string; by?: ReportUnit }

/** Runs a report: period/date or explicit from/to (local days, `to` inclusive). */
export async function runReport(db: pg.Pool | pg.PoolClient, tz: string, q: ReportRequest): Promise<Report> {
  const by = q.by ?? 'township';
  let firstDay: string;
  let lastDay: string;
  let period: string;
  if (q.from || q.to) {
    if (!q.from || !q.to) throw badRequest(q.from ? 'to' : 'from', 'from and to go together');
    if (q.period || q.date) throw badRequest('period', 'give either period/date or from/to');
    const f = parseDay('from', q.from);
    const t = parseDay('to', q.to);
    if (t < f) throw badRequest('to', 'must not be before from');
    if (t - f > 3660 * DAY) throw badRequest('from', 'longer than 10 years');
    ({ firstDay, lastDay } = { firstDay: q.from, lastDay: q.to });
    period = 'custom';
  } else {
    period = q.period ?? 'day';
    ({ firstDay, lastDay } = periodDays(q.period ?? 'day', q.date ?? localDate(tz)));
  }
  const { rows } = await db.query(reportSql(by), [firstDay, lastDay, tz]);
  if (!rows.length) throw new HttpError(500, 'report returned nothing');
  const totalRow = rows.find((r) => r.is_total);
  const out: ReportRow[] = rows.filter((r) => !r.is_total).map((r) => ({
    unit: { id: r.unit_id, code: r.code ?? r.fallback?.code ?? null, name: r.name ?? r.fallback?.name ?? null, parent: r.parent ?? null },
    ...figures(r),
  }));
  out.sort((a, b) => (a.unit.code ?? '~').localeCompare(b.unit.code ?? '~') || (a.unit.id ?? 0) - (b.unit.id ?? 0));
  return {
    period, by, firstDay, lastDay, from: rows[0].win_from.toISOString(), to: rows[0].win_to.toISOString(), generatedAt: new Date().toISOString(),
    total: figures(totalRow ?? {}), rows: out,
  };
}

const UNIT_LABEL: Record<ReportUnit, string> = { grid: '网格', village: '村（社区）', township: '镇（街道）', department: '部门' };
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV with a BOM, Chinese headers, one row per unit and a total row. */
export function reportCsv(r: Report): string {
  const head = [`${UNIT_LABEL[r.by as ReportUnit] ?? '单位'}编码`, '名称', '上级', '上报数', '作废数', '结案数', '结案率', '平均办结时长（小时）', 'P90办结时长（小时）', '超期数', '退回数', '评价数', '满意度'];
  const line = (unit: (string | null)[], f: ReportFigures) => [...unit, f.reported, f.void, f.closed, f.closureRate, f.avgHoursToClose, f.p90HoursToClose, f.overdue, f.returned, f.rated, f.satisfaction].map(csvCell).join(',');
  const lines = [head.map(csvCell).join(','), ...r.rows.map((x) => line([x.unit.code, x.unit.name, x.unit.parent], x)), line(['合计', `${r.firstDay}～${r.lastDay}`, null], r.total)];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/reports', {
    schema: {
      tags: ['reports'],
      summary: 'Incident report per grid / village / township / department for a day, week, month, quarter or explicit days (JSON or CSV)',
      querystring: ReportQuery,
      response: { 200: Report },
    },
    preHandler: async (request) => { if (!request.user) throw new HttpError(401, 'login required'); },
  }, async (request, reply) => {
    const { format, ...q } = request.query;
    const report = await runReport(app.db.pool, app.timezone, q);
    if (format === 'csv') {
      const name = `incidents-${report.period}-${report.firstDay}-${report.by}.csv`;
      return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}"`)
        .serializer((x: unknown) => x as string).send(reportCsv(report) as unknown as Report);
    }
    return report;
  });
};

export default reportsRoutes;
