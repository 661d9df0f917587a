// One year of incident history (事件) up to `until`, generated in JS and streamed out in batches of
// whole days. Volume follows the hour of day, the weekday, holidays and a slow adoption trend;
// categories follow the season (秸秆焚烧 in early June and October, 防汛 in July–August); places
// follow grid activity plus a few persistent hotspots; every incident's life cycle is simulated and
// cut at `until`, so old ones are closed and recent ones are still in progress.
import { apportion, Rng, WeightedPicker } from './random.js';
import { pointInRing, type XY } from './geo.js';

export const SOURCES = ['grid_worker', 'hotline', 'police_110', 'petition'] as const;
export type Source = (typeof SOURCES)[number];
export type Status = 'reported' | 'accepted' | 'dispatched' | 'in_progress' | 'resolved' | 'rated' | 'closed' | 'returned' | 'void';

interface Category {
  name: string;
  /** Base weight (share of an ordinary day). */
  w: number;
  /** Affinity for urban grids, 0..1. */
  urban: number;
  /** Extra weight by day of year (seasonal peaks). */
  peaks?: [doy: number, sigma: number, amp: number][];
  /** Priority weights p1..p4. */
  prio: [number, number, number, number];
  /** Source multipliers (grid_worker, hotline, 110, petition). */
  src?: [number, number, number, number];
  /** Grid workers can settle it themselves without dispatch (share). */
  selfHandled: number;
  departments: string[];
  templates: string[];
}

export const CATEGORIES: Category[] = [
  { name: '环境卫生', w: 14, urban: 0.6, prio: [1, 10, 62, 27], selfHandled: 0.5, departments: ['县城市管理局', '县环境卫生管理处'],
    templates: ['{a}垃圾桶满溢，周边垃圾散落，异味较大', '{a}路面有生活垃圾未及时清运', '{a}公厕卫生状况差，无人保洁', '{a}绿化带内堆积垃圾', '{a}污水外溢，路面脏污'] },
  { name: '占道经营', w: 9, urban: 0.92, prio: [1, 12, 65, 22], selfHandled: 0.45, departments: ['县城市管理局', '牛山街道综合行政执法局', '石榴街道综合行政执法局'],
    templates: ['{a}有流动摊贩占道经营，影响行人通行', '{a}商户出店经营，货物摆放至人行道', 'U:{a}早市摊点占用机动车道，造成拥堵', '{a}夜市烧烤摊占道经营，油烟扰民', '{a}水果摊占用盲道'] },
  { name: '违章搭建', w: 6, urban: 0.5, prio: [2, 20, 60, 18], src: [1, 1, 0.3, 3], selfHandled: 0.1, departments: ['县城市管理局', '县自然资源和规划局', '县住房和城乡建设局'],
    templates: ['{a}有住户私自搭建彩钢瓦棚', 'U:{a}楼顶疑似违法加盖', '{a}有人在公共绿地上私搭乱建', '{a}沿街商户违规搭建雨棚', 'R:{a}农户在耕地上新建房屋'] },
  { name: '道路破损', w: 5, urban: 0.5, prio: [4, 26, 55, 15], selfHandled: 0.05, departments: ['县交通运输局', '县公路事业发展中心', '县市政设施管理处'],
    templates: ['{a}路面出现坑槽，车辆通行存在安全隐患', '{a}人行道地砖松动破损', '{a}道路塌陷约{n}平方米', '{a}桥面伸缩缝损坏', 'R:{a}村道路基被雨水冲毁'] },
  { name: '市政设施损坏', w: 6, urban: 0.85, prio: [5, 28, 52, 15], selfHandled: 0.05, departments: ['县市政设施管理处', '县住房和城乡建设局', '县公安局交通警察大队'],
    templates: ['{a}窨井盖缺失，存在安全隐患', '{a}路灯不亮已有{n}天', '{a}护栏被撞损坏', '{a}雨水篦子破损', 'U:{a}交通信号灯故障'] },
  { name: '矛盾纠纷', w: 7, urban: 0.45, prio: [3, 25, 57, 15], src: [1, 0.8, 2.5, 3], selfHandled: 0.55, departments: ['县司法局', '县委政法委员会', '县人力资源和社会保障局'],
    templates: ['{a}邻里因宅基地界线发生纠纷', '{a}两户居民因停车问题发生争执', 'R:{a}村民反映土地流转租金未按时兑付', '{a}家庭矛盾需调解', '{a}务工人员反映工资被拖欠', '{a}因排水沟走向引发邻里矛盾'] },
  { name: '安全隐患', w: 6, urban: 0.5, prio: [8, 32, 48, 12], selfHandled: 0.2, departments: ['县应急管理局', '县住房和城乡建设局', '县市场监督管理局'],
    templates: ['{a}老旧房屋墙体开裂，存在倒塌风险', '{a}广告牌松动，有坠落风险', '{a}沟渠无防护栏，存在落水隐患', '{a}施工工地未设置围挡', '{a}液化气罐存放不规范'] },
  { name: '消防隐患', w: 3, urban: 0.55, prio: [10, 35, 45, 10], selfHandled: 0.3, departments: ['县消防救援大队', '县应急管理局'],
    templates: ['U:{a}楼道内堆放杂物，堵塞消防通道', 'U:{a}电动车在楼道内充电', '{a}私拉乱接电线', '{a}消防栓损坏无水', '{a}沿街门店“三合一”住人'] },
  { name: '噪音扰民', w: 4, urban: 0.85, peaks: [[195, 45, 2.5]], prio: [1, 12, 62, 25], src: [0.6, 1.8, 1.5, 0.3], selfHandled: 0.3, departments: ['县生态环境局', '县公安局', '县城市管理局'],
    templates: ['{a}夜间施工噪音扰民', '{a}广场舞音响音量过大', '{a}商户使用高音喇叭招揽生意', 'U:{a}KTV夜间噪音扰民', '{a}工厂设备噪声影响居民休息'] },
  { name: '乱堆乱放', w: 8, urban: 0.55, prio: [1, 8, 61, 30], selfHandled: 0.6, departments: ['县城市管理局', '县环境卫生管理处'],
    templates: ['{a}建筑垃圾随意堆放', 'R:{a}柴草堆放占用道路', '{a}废旧物品堆放在公共区域', 'U:{a}共享单车乱停乱放', 'U:{a}装修垃圾堆在楼道口'] },
  { name: '违法广告', w: 3, urban: 0.9, prio: [0, 5, 60, 35], selfHandled: 0.5, departments: ['县城市管理局', '县市场监督管理局'],
    templates: ['{a}墙面有大量小广告', '{a}电线杆上张贴“牛皮癣”广告', '{a}未经审批设置户外广告牌', '{a}沿街悬挂横幅未审批'] },
  { name: '园林绿化', w: 3, urban: 0.8, peaks: [[105, 35, 2.5]], prio: [1, 10, 59, 30], selfHandled: 0.1, departments: ['县园林绿化管理处', '县住房和城乡建设局'],
    templates: ['{a}行道树枯死需补植', '{a}树枝遮挡路灯和交通标志', '{a}绿化带被毁坏', '{a}树木倾斜有倒伏风险', '{a}草坪长期无人修剪'] },
  { name: '供水供电', w: 4, urban: 0.6, peaks: [[200, 30, 3], [20, 20, 1.5]], prio: [6, 34, 48, 12], src: [0.8, 1.6, 0.5, 0.2], selfHandled: 0.02, departments: ['国网东海县供电公司', '东海县自来水有限公司', '东海港华燃气有限公司'],
    templates: ['{a}自来水管道破裂漏水', '{a}停水已超过{n}小时', '{a}电线老化垂落', '{a}居民反映电压不稳', 'U:{a}水压过低，高层用水困难'] },
  { name: '农村人居环境', w: 7, urban: 0.05, prio: [0, 6, 62, 32], selfHandled: 0.55, departments: ['县农业农村局', '县生态环境局', '县水利局'],
    templates: ['{a}河塘水面漂浮物较多', '{a}村内道路两侧杂草丛生', 'R:{a}畜禽粪便随意堆放', '{a}村庄坑塘有垃圾', '{a}农药包装废弃物随意丢弃'] },
  { name: '秸秆焚烧', w: 0.15, urban: 0.02, peaks: [[157, 7, 38], [286, 10, 26]], prio: [25, 45, 25, 5], src: [1.6, 0.6, 0.8, 0], selfHandled: 0.6, departments: ['县生态环境局', '县农业农村局'],
    templates: ['{a}田间发现焚烧秸秆，烟雾较大', '{a}发现秸秆焚烧火点，已现场劝阻', '{a}麦茬地有焚烧痕迹', '{a}路边焚烧垃圾和秸秆'] },
  { name: '防汛', w: 0.2, urban: 0.35, peaks: [[205, 20, 16]], prio: [20, 45, 30, 5], src: [1.4, 0.9, 0.8, 0], selfHandled: 0.15, departments: ['县水利局', '县应急管理局', '县住房和城乡建设局'],
    templates: ['{a}道路积水严重，车辆无法通行', '{a}河道水位上涨，堤坝有渗水', '{a}低洼处民房进水', '{a}排涝沟堵塞', '{a}危房住户需转移'] },
  { name: '食品安全', w: 2, urban: 0.7, prio: [4, 26, 55, 15], src: [0.6, 1.8, 0.8, 0.5], selfHandled: 0.05, departments: ['县市场监督管理局', '县卫生健康委员会'],
    templates: ['{a}小餐馆卫生条件差', '{a}流动摊贩销售来源不明食品', '{a}超市销售过期食品', '{a}学校周边小卖部销售“三无”食品'] },
  { name: '治安隐患', w: 3, urban: 0.55, prio: [6, 30, 52, 12], src: [0.8, 0.8, 4, 0.3], selfHandled: 0.25, departments: ['县公安局'],
    templates: ['{a}夜间有可疑人员徘徊', '{a}电动车频繁被盗', '{a}出租屋人员流动频繁需核查', '{a}路段缺少照明存在治安隐患'] },
  { name: '民生诉求', w: 7, urban: 0.5, prio: [1, 12, 57, 30], src: [0.6, 2, 0.6, 2.5], selfHandled: 0.25, departments: ['县民政局', '县住房和城乡建设局', '县人力资源和社会保障局', '县教育局', '县医疗保障局', '县交通运输局'],
    templates: ['U:{a}居民反映小区物业服务差', '{a}老人申请居家养老服务', '{a}群众反映公交站点设置不合理', '{a}居民反映学区划分问题', '{a}困难家庭申请临时救助'] },
  { name: '政策咨询', w: 4, urban: 0.5, prio: [0, 2, 48, 50], src: [0.5, 2.5, 0.2, 0.8], selfHandled: 0.6, departments: ['县人力资源和社会保障局', '县医疗保障局', '县农业农村局', '县民政局', '县公安局'],
    templates: ['{a}群众咨询医保缴费政策', 'R:{a}村民咨询耕地地力保护补贴发放', '{a}居民咨询养老保险补缴办法', 'U:{a}群众咨询老旧小区改造政策', '{a}咨询新生儿落户办理流程'] },
];

// Calibrated so that, after the per-category multipliers, the shares come out near 60 / 30 / 6 / 4 %.
const SOURCE_BASE = [0.652, 0.265, 0.056, 0.036];
/** Relative volume by local hour: peaks 9–11 and 14–17, little at night. */
const HOURLY = [0.15, 0.1, 0.08, 0.08, 0.1, 0.25, 0.7, 1.6, 3.2, 4.6, 4.8, 3.6, 1.8, 2.4, 4.0, 4.4, 4.1, 2.6, 1.6, 1.3, 1.1, 0.8, 0.5, 0.3];
const HOURLY_SUM = HOURLY.reduce((a, b) => a + b, 0);
const SLA_HOURS = [4, 24, 72, 168];
const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
/** 春节 (Spring Festival) dates; the week around it is quiet. */
const SPRING_FESTIVAL: Record<number, string> = { 2023: '01-22', 2024: '02-10', 2025: '01-29', 2026: '02-17', 2027: '02-06', 2028: '01-26', 2029: '02-13', 2030: '02-03', 2031: '01-23', 2032: '02-11' };
const TZ = 8 * 3600_000; // Asia/Shanghai, no DST
const DAY = 86400_000;
const HOUR = 3600_000;
const MIN = 60_000;

export interface IncidentGrid {
  id: number; villageId: number; townshipId: number; urban: boolean;
  /** Activity weight (town centres and the county seat busier). */
  weight: number;
  /** Final polygon (WGS84 rings, outer first). */
  polygon: XY[][];
  /** How addresses are written: street + number in town, village + 组 in the countryside. */
  addressPrefix: string;
  street: string | null;
  /** The street is a highway (国道/省道/县道): written "旁/沿线", not with a house number. */
  streetIsRoad: boolean;
  workers: number[];
}

export interface Hotspot { name: string; p: XY /* WGS84 */; sigmaM: number; share: number; categories: string[] }

export interface IncidentContext {
  grids: IncidentGrid[];
  hotspots: Hotspot[];
  /** Department id by name. */
  departments: Map<string, number>;
  /** Grid index containing a WGS84 point, or -1. */
  locate: (p: XY) => number;
  /** Places incidents avoid (reservoirs), except flood-season ones. */
  water?: (p: XY) => boolean;
  seed: number;
  total: number;
  until: Date;
}

export interface IncidentBatch {
  code: string[]; category: string[]; source: string[]; status: string[]; priority: number[]; description: string[]; address: string[];
  lon: number[]; lat: number[]; gridId: number[]; villageId: number[]; townshipId: number[]; reporter: (number | null)[]; department: (number | null)[];
  reportedAt: number[]; acceptedAt: (number | null)[]; dispatchedAt: (number | null)[]; resolvedAt: (number | null)[]; closedAt: (number | null)[]; dueAt: number[]; rating: (number | null)[];
}

function emptyBatch(): IncidentBatch {
  return { code: [], category: [], source: [], status: [], priority: [], description: [], address: [], lon: [], lat: [], gridId: [], villageId: [], townshipId: [], reporter: [], department: [], reportedAt: [], acceptedAt: [], dispatchedAt: [], resolvedAt: [], closedAt: [], dueAt: [], rating: [] };
}

function dayOfYear(localMs: number): number {
  const d = new Date(localMs);
  return Math.floor((localMs - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
}

/** Relative volume of a local day (start of day in local ms), before the hour profile. */
export function dayWeight(localDayStart: number, yearStart: number): number {
  const d = new Date(localDayStart);
  const wd = d.getUTCDay();
  let w = wd === 0 ? 0.7 : wd === 6 ? 0.78 : 1.08;
  const y = d.getUTCFullYear();
  for (const yy of [y - 1, y, y + 1]) {
    const sf = SPRING_FESTIVAL[yy];
    if (!sf) continue;
    const off = (localDayStart - Date.parse(`${yy}-${sf}T00:00:00Z`)) / DAY;
    if (off >= -1 && off <= 6) w *= 0.45;
  }
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  if (m === 10 && day <= 7) w *= 0.7; // National Day holidays
  if ((m === 1 && day === 1) || (m === 5 && day <= 5)) w *= 0.8;
  // Summer is busier; the platform's use grows through the year.
  const doy = dayOfYear(localDayStart);
  w *= 1 + 0.1 * Math.sin(((doy - 110) / 365) * 2 * Math.PI);
  w *= 0.9 + 0.2 * Math.min(1, Math.max(0, (localDayStart - yearStart) / (365 * DAY)));
  return w;
}

function categoryWeights(doy: number): number[] {
  return CATEGORIES.map((c) => {
    let w = c.w;
    for (const [mu, sigma, amp] of c.peaks ?? []) {
      const dd = Math.min(Math.abs(doy - mu), 365 - Math.abs(doy - mu));
      w += amp * Math.exp(-(dd * dd) / (2 * sigma * sigma));
    }
    return w;
  });
}

function round6(v: number): number { return Math.round(v * 1e6) / 1e6; }

/** Uniform point in a polygon by rejection in its bounding box, avoiding `avoid` while it can. */
function pointInPolygon(rng: Rng, poly: XY[][], box: [number, number, number, number], avoid?: (p: XY) => boolean): XY {
  for (let k = 0; k < 400; k++) {
    if (k === 200) avoid = undefined;
    // Rounded first (as stored), so the stored point is the one tested.
    const p: XY = [round6(box[0] + rng.next() * (box[2] - box[0])), round6(box[1] + rng.next() * (box[3] - box[1]))];
    if (!pointInRing(p, poly[0])) continue;
    let inHole = false;
    for (let h = 1; h < poly.length && !inHole; h++) inHole = pointInRing(p, poly[h]);
    if (!inHole && !(avoid && avoid(p))) return p;
  }
  return poly[0][0];
}

/** Yields incident rows in batches of whole days, oldest first. */
export function* generateIncidents(ctx: IncidentContext, batchSize = 10000): Generator<IncidentBatch> {
  const rng = Rng.derive(ctx.seed, 'incidents');
  const untilMs = ctx.until.getTime();
  const startMs = untilMs - 365 * DAY;
  const localUntil = untilMs + TZ;
  const firstDay = Math.floor((startMs + TZ) / DAY) * DAY; // local midnight, as local ms
  const lastDay = Math.floor(localUntil / DAY) * DAY;
  const days: { start: number; w: number; h0: number; h1: number }[] = [];
  for (let d = firstDay; d <= lastDay; d += DAY) {
    // Hours of the day inside the window (fractional at both ends).
    const h0 = Math.max(0, (startMs + TZ - d) / HOUR);
    const h1 = Math.min(24, (localUntil - d) / HOUR);
    if (h1 <= h0) continue;
    let frac = 0;
    for (let h = 0; h < 24; h++) frac += HOURLY[h] * Math.max(0, Math.min(h + 1, h1) - Math.max(h, h0));
    days.push({ start: d, w: dayWeight(d, firstDay) * (frac / HOURLY_SUM), h0, h1 });
  }
  const perDay = apportion(days.map((d) => d.w), ctx.total, 0);

  // Grid pickers per category: activity × urban affinity.
  const boxes = ctx.grids.map((g) => {
    let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of g.polygon[0]) b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
    return b;
  });
  const gridPickers = CATEGORIES.map((c) => new WeightedPicker(ctx.grids.map((g) => g.weight * (g.urban ? c.urban : 1 - c.urban))));
  const hotspotShare = ctx.hotspots.reduce((a, h) => a + h.share, 0);
  const hotspotPicker = new WeightedPicker(ctx.hotspots.map((h) => h.share));
  const catIndex = new Map(CATEGORIES.map((c, i) => [c.name, i]));
  const deptIds = CATEGORIES.map((c) => c.departments.map((n) => {
    const id = ctx.departments.get(n);
    if (id === undefined) throw new Error(`unknown department ${n}`);
    return id;
  }));
  const hourPicker = (h0: number, h1: number) => new WeightedPicker(HOURLY.map((w, h) => w * Math.max(0, Math.min(h + 1, h1) - Math.max(h, h0))));

  let batch = emptyBatch();
  for (let di = 0; di < days.length; di++) {
    const n = perDay[di];
    if (!n) continue;
    const day = days[di];
    const doy = dayOfYear(day.start);
    const catPicker = new WeightedPicker(categoryWeights(doy));
    const hp = hourPicker(day.h0, day.h1);
    const times: number[] = [];
    for (let k = 0; k < n; k++) {
      let t: number;
      do {
        const h = hp.pick(rng);
        t = day.start + (h + rng.next()) * HOUR;
      } while ((t - day.start) / HOUR < day.h0 || (t - day.start) / HOUR >= day.h1);
      times.push(Math.floor(t / 1000) * 1000 - TZ); // back to UTC, whole seconds
    }
    times.sort((a, b) => a - b);
    const ymd = new Date(day.start).toISOString().slice(0, 10).replace(/-/g, '');
    times.forEach((reportedAt, k) => {
      // Place and category.
      let g: number;
      let p: XY;
      let cat: number;
      if (ctx.hotspots.length && rng.chance(hotspotShare)) {
        const hs = ctx.hotspots[hotspotPicker.pick(rng)];
        cat = catIndex.get(rng.pick(hs.categories))!;
        let tries = 0;
        do {
          const dx = rng.normal(0, hs.sigmaM);
          const dy = rng.normal(0, hs.sigmaM);
          p = [round6(hs.p[0] + dx / (111195 * Math.cos((hs.p[1] * Math.PI) / 180))), round6(hs.p[1] + dy / 111195)];
          g = ctx.locate(p);
        } while ((g < 0 || (ctx.water?.(p) ?? false)) && ++tries < 20);
        if (g < 0) { g = gridPickers[cat].pick(rng); p = pointInPolygon(rng, ctx.grids[g].polygon, boxes[g], ctx.water); }
      } else {
        cat = catPicker.pick(rng);
        g = gridPickers[cat].pick(rng);
        p = pointInPolygon(rng, ctx.grids[g].polygon, boxes[g], CATEGORIES[cat].name === '防汛' ? undefined : ctx.water);
      }
      const c = CATEGORIES[cat];
      const grid = ctx.grids[g];
      const sw = SOURCE_BASE.map((b, i) => b * (c.src ? c.src[i] : 1));
      const source = SOURCES[rng.weighted(sw)];
      const priority = rng.weighted(c.prio) + 1;
      const reporter = source === 'grid_worker' && grid.workers.length ? rng.pick(grid.workers) : null;
      // Address and description.
      const address = grid.street
        ? (grid.streetIsRoad ? `${grid.addressPrefix}${grid.street}${rng.pick(['旁', '沿线', '路边'])}` : `${grid.addressPrefix}${grid.street}${rng.int(1, 360)}号${rng.chance(0.3) ? '附近' : ''}`)
        : `${grid.addressPrefix}${CN_NUM[rng.int(0, 11)]}组`;
      // Templates marked U: / R: only fit towns / the countryside.
      const fits = c.templates.filter((t) => !(grid.street ? t.startsWith('R:') : t.startsWith('U:')));
      const description = rng.pick(fits.length ? fits : c.templates).replace(/^[UR]:/, '').replace('{a}', address).replace('{n}', String(rng.int(2, 12)));

      // Life cycle as timed events, applied in order up to `until`.
      const due = reportedAt + SLA_HOURS[priority - 1] * HOUR;
      const speed = priority === 1 ? 0.3 : priority === 2 ? 0.6 : 1;
      const row = { status: 'reported' as Status, accepted: null as number | null, dispatched: null as number | null, resolved: null as number | null, closed: null as number | null, rating: null as number | null, department: null as number | null };
      const events: [number, () => void][] = [];
      if (rng.chance(0.025)) {
        // Duplicate or out of scope: voided at review.
        const v = reportedAt + rng.logNormal(40, 0.7) * MIN;
        events.push([v, () => { row.status = 'void'; row.closed = v; }]);
      } else {
        let acc = reportedAt + (source === 'grid_worker' ? rng.logNormal(6, 0.8) : rng.logNormal(35, 0.7)) * speed * MIN;
        // Non-urgent reports made outside office hours mostly wait for the morning shift.
        const localHour = ((reportedAt + TZ) % DAY) / HOUR;
        if (priority >= 3 && source !== 'police_110' && (localHour < 8 || localHour >= 18) && rng.chance(0.7)) {
          const nextMorning = Math.floor((reportedAt + TZ) / DAY) * DAY + (localHour >= 18 ? DAY : 0) + 8 * HOUR - TZ;
          acc = Math.max(acc, nextMorning + rng.logNormal(40, 0.6) * MIN);
        }
        events.push([acc, () => { row.status = 'accepted'; row.accepted = acc; }]);
        // A few cases get stuck for weeks (disputes, works waiting for budget).
        const stuck = rng.chance(0.035) ? rng.range(5, 25) * DAY : 0;
        let start: number;
        let res: number;
        if (source === 'grid_worker' && rng.chance(c.selfHandled)) {
          // Settled by the grid worker on the spot: no department involved.
          start = acc + rng.logNormal(20, 0.8) * MIN;
          res = start + rng.logNormal(3, 1) * speed * HOUR + stuck;
        } else {
          let disp = acc + rng.logNormal(50, 0.9) * speed * MIN;
          const dep = rng.pick(deptIds[cat]);
          const d1 = disp;
          events.push([d1, () => { row.status = 'dispatched'; row.dispatched = d1; row.department = dep; }]);
          if (rng.chance(0.03)) {
            // Sent to the wrong department, returned, and sent again (to another one when possible).
            const back = d1 + rng.logNormal(5, 0.7) * HOUR;
            const d2 = back + rng.logNormal(2, 0.6) * HOUR;
            const others = deptIds[cat].filter((x) => x !== dep);
            const dep2 = others.length ? rng.pick(others) : dep;
            events.push([back, () => { row.status = 'returned'; }]);
            events.push([d2, () => { row.status = 'dispatched'; row.dispatched = d2; row.department = dep2; }]);
            disp = d2;
          }
          start = disp + rng.logNormal(1.5, 0.9) * speed * HOUR;
          res = start + rng.logNormal(14, 0.9) * speed * HOUR + stuck;
        }
        const ratedAt = res + rng.logNormal(5, 0.9) * HOUR;
        const closeAt = ratedAt + rng.logNormal(10, 0.8) * HOUR;
        const r = rng.next();
        const stars = r < 0.02 ? 1 : r < 0.05 ? 2 : r < 0.15 ? 3 : r < 0.45 ? 4 : 5;
        events.push([start, () => { row.status = 'in_progress'; }]);
        events.push([res, () => { row.status = 'resolved'; row.resolved = res; }]);
        events.push([ratedAt, () => { row.status = 'rated'; row.rating = stars; }]);
        events.push([closeAt, () => { row.status = 'closed'; row.closed = closeAt; }]);
      }
      for (const [t, apply] of events) { if (t > untilMs) break; apply(); }
      const { status, accepted, dispatched, resolved, closed, rating, department } = row;
      batch.code.push(`SJ${ymd}-${String(k + 1).padStart(6, '0')}`);
      batch.category.push(c.name);
      batch.source.push(source);
      batch.status.push(status);
      batch.priority.push(priority);
      batch.description.push(description);
      batch.address.push(address);
      batch.lon.push(p[0]);
      batch.lat.push(p[1]);
      batch.gridId.push(grid.id);
      batch.villageId.push(grid.villageId);
      batch.townshipId.push(grid.townshipId);
      batch.reporter.push(reporter);
      batch.department.push(department);
      batch.reportedAt.push(reportedAt);
      batch.acceptedAt.push(accepted === null ? null : Math.round(accepted));
      batch.dispatchedAt.push(dispatched === null ? null : Math.round(dispatched));
      batch.resolvedAt.push(resolved === null ? null : Math.round(resolved));
      batch.closedAt.push(closed === null ? null : Math.round(closed));
      batch.dueAt.push(due);
      batch.rating.push(rating);
    });
    if (batch.code.length >= batchSize) { yield batch; batch = emptyBatch(); }
  }
  if (batch.code.length) yield batch;
}

/** Incident hotspots: places with a steady stream of the same complaints. */
export function defaultHotspots(seat: XY, townCentres: { name: string; p: XY }[], seed: number): Hotspot[] {
  const rng = Rng.derive(seed, 'hotspots');
  const off = (p: XY, eastM: number, northM: number): XY => [p[0] + eastM / (111195 * Math.cos((p[1] * Math.PI) / 180)), p[1] + northM / 111195];
  const out: Hotspot[] = [
    { name: '东海水晶城（水晶市场）', p: off(seat, 650, -250), sigmaM: 140, share: 0.018, categories: ['占道经营', '环境卫生', '乱堆乱放', '违法广告', '治安隐患'] },
    { name: '牛山农贸市场', p: off(seat, -450, 150), sigmaM: 110, share: 0.014, categories: ['占道经营', '环境卫生', '乱堆乱放', '食品安全'] },
    { name: '火车站广场', p: off(seat, 250, -1700), sigmaM: 160, share: 0.01, categories: ['占道经营', '治安隐患', '环境卫生', '违法广告'] },
    { name: '县人民医院周边', p: off(seat, -900, 700), sigmaM: 120, share: 0.008, categories: ['占道经营', '市政设施损坏', '噪音扰民', '乱堆乱放'] },
    { name: '西双湖公园', p: off(seat, -2500, 150), sigmaM: 200, share: 0.006, categories: ['噪音扰民', '环境卫生', '园林绿化', '安全隐患'] },
  ];
  for (const t of townCentres) {
    if (rng.chance(0.6)) out.push({ name: `${t.name}农贸市场`, p: off(t.p, rng.range(-300, 300), rng.range(-300, 300)), sigmaM: 90, share: 0.0025, categories: ['占道经营', '环境卫生', '乱堆乱放', '食品安全'] });
  }
  return out;
}
