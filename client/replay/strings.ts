// Strings of the replay page, zh-CN (default) and en. Kept here rather than in client/i18n/ so the
// replay stays self-contained; the locale is the app's (useLocale()). Every zh-CN key must exist in
// en (the `ReplayMessages` type enforces it).
import { useCallback } from 'react';
import { useLocale, type Locale } from '../i18n/index.js';

export const replayZhCN = {
  'page.title': '巡查轨迹回放',
  'page.subtitle': '东海县网格化治理指挥中心',
  'page.back': '返回指挥地图',
  'lang.switch': 'English',
  'lang.switchTitle': '切换为英文界面',

  'pick.title': '回放对象',
  'pick.placeholder': '搜索网格员姓名、网格或村（社区）',
  'pick.group.workers': '网格员',
  'pick.group.grids': '网格',
  'pick.group.villages': '村（社区）',
  'pick.searching': '搜索中…',
  'pick.noResults': '没有匹配的网格员、网格或村（社区）',
  'pick.clear': '清除',
  'pick.remove': '移除 {name}',
  'pick.badge.grid': '网格',
  'pick.badge.village': '村（社区）',
  'pick.wholeGrid': '整个网格',
  'pick.wholeVillage': '整个村（社区）',
  'pick.workersCount': '已选 {count} 名网格员',
  'pick.gridWorkers': '本网格网格员（勾选以只看部分人员）',
  'pick.allWorkers': '全部',
  'pick.add': '添加',
  'pick.added': '已添加',
  'pick.limit': '一次最多 {count} 名网格员',

  'range.title': '时间范围',
  'range.date': '日期',
  'range.from': '开始',
  'range.to': '结束',
  'range.today': '今天',
  'range.yesterday': '昨天',
  'range.dayShift': '07:00–19:00',
  'range.allDay': '全天',
  'range.nextDay': '次日',
  'range.span': '时段',
  'range.until': '至',
  'range.invalid': '请填写有效的日期和时间',

  'list.title': '网格员',
  'list.withTracks': '{count} 人有轨迹',
  'list.distance': '里程',
  'list.stops': '停留',
  'list.stopsValue': '{count} 次 · {duration}',
  'list.noStops': '无停留',
  'list.follow': '跟随 {name}',
  'list.unfollow': '取消跟随',
  'list.noTrack': '该时段无定位',
  'list.points': '{count} 个定位点',
  'list.total': '合计',
  'list.activeSpan': '{from}–{to}',

  'state.before': '未出发',
  'state.active': '巡查中',
  'state.stopped': '停留',
  'state.gap': '信号中断',
  'state.after': '已结束',

  'status.loading': '正在加载轨迹…',
  'status.error': '轨迹加载失败：{message}',
  'status.retry': '重试',
  'status.empty': '所选时段内没有巡查轨迹',
  'status.hint': '搜索并选择网格员、网格或村（社区），回放其在所选时段内的巡查轨迹。',

  'play.play': '播放（空格）',
  'play.pause': '暂停（空格）',
  'play.speed': '回放倍速',
  'play.slider': '回放时间',
  'play.back': '后退 5 分钟',
  'play.forward': '前进 5 分钟',

  'incidents.count': '事件 {shown}/{total}',
  'incidents.truncated': '（仅最新 {count} 件）',
  'incidents.title': '时段内上报的事件',

  'legend.travelled': '已走轨迹',
  'legend.ahead': '未走轨迹',
  'legend.stop': '停留点',
  'legend.incident': '事件（上报时出现）',
  'legend.gap': '信号中断',

  'follow.label': '跟随：{name}',
  'follow.stop': '取消',

  'duration.hm': '{h}小时{m}分',
  'duration.m': '{m}分钟',
  'unit.km': '{value} 公里',

  'incident.code': '编号',
  'incident.reportedAt': '上报时间',
  'incident.source': '来源',
  'incident.status': '当前状态',
  'incident.priority': '紧急程度',
  'source.grid_worker': '网格员上报',
  'source.hotline': '12345 热线',
  'source.police_110': '110 联动',
  'source.petition': '信访',
  'source.command_center': '指挥中心',
  'status.reported': '已上报',
  'status.accepted': '已受理',
  'status.dispatched': '已派遣',
  'status.in_progress': '处置中',
  'status.resolved': '已办结',
  'status.rated': '已评价',
  'status.closed': '已结案',
  'status.returned': '已退回',
  'status.void': '已作废',
  'priority.1': '特急',
  'priority.2': '紧急',
  'priority.3': '一般',
  'priority.4': '较低',
  'worker.grid': '网格',
  'card.time': '时间',
  'card.duration': '时长',
  'role.grid_leader': '网格长',
  'role.full_time': '专职网格员',
  'role.part_time': '兼职网格员',
  'legend.title': '图例',
} as const;

export type ReplayMessageKey = keyof typeof replayZhCN;
export type ReplayMessages = Record<ReplayMessageKey, string>;

export const replayEn: ReplayMessages = {
  'page.title': 'Patrol replay',
  'page.subtitle': 'Donghai County grid governance command center',
  'page.back': 'Back to the map',
  'lang.switch': '中文',
  'lang.switchTitle': 'Switch to Chinese',

  'pick.title': 'Replay',
  'pick.placeholder': 'Search a worker, grid or village',
  'pick.group.workers': 'Workers',
  'pick.group.grids': 'Grids',
  'pick.group.villages': 'Villages',
  'pick.searching': 'Searching…',
  'pick.noResults': 'No matching worker, grid or village',
  'pick.clear': 'Clear',
  'pick.remove': 'Remove {name}',
  'pick.badge.grid': 'Grid',
  'pick.badge.village': 'Village',
  'pick.wholeGrid': 'Whole grid',
  'pick.wholeVillage': 'Whole village',
  'pick.workersCount': '{count} workers selected',
  'pick.gridWorkers': 'Workers of this grid (tick to see only some)',
  'pick.allWorkers': 'All',
  'pick.add': 'Add',
  'pick.added': 'Added',
  'pick.limit': 'At most {count} workers at once',

  'range.title': 'Time range',
  'range.date': 'Date',
  'range.from': 'From',
  'range.to': 'To',
  'range.today': 'Today',
  'range.yesterday': 'Yesterday',
  'range.dayShift': '07:00–19:00',
  'range.allDay': 'All day',
  'range.nextDay': 'next day',
  'range.span': 'Hours',
  'range.until': 'to',
  'range.invalid': 'Enter a valid date and times',

  'list.title': 'Workers',
  'list.withTracks': '{count} with tracks',
  'list.distance': 'Distance',
  'list.stops': 'Stops',
  'list.stopsValue': '{count} · {duration}',
  'list.noStops': 'No stops',
  'list.follow': 'Follow {name}',
  'list.unfollow': 'Stop following',
  'list.noTrack': 'No positions in this range',
  'list.points': '{count} fixes',
  'list.total': 'Total',
  'list.activeSpan': '{from}–{to}',

  'state.before': 'Not started',
  'state.active': 'Patrolling',
  'state.stopped': 'Stopped',
  'state.gap': 'No signal',
  'state.after': 'Finished',

  'status.loading': 'Loading tracks…',
  'status.error': 'Could not load the tracks: {message}',
  'status.retry': 'Retry',
  'status.empty': 'No patrol tracks in this range',
  'status.hint': 'Search and pick workers, a grid or a village to replay their patrols in the chosen range.',

  'play.play': 'Play (space)',
  'play.pause': 'Pause (space)',
  'play.speed': 'Replay speed',
  'play.slider': 'Replay time',
  'play.back': 'Back 5 minutes',
  'play.forward': 'Forward 5 minutes',

  'incidents.count': 'Incidents {shown}/{total}',
  'incidents.truncated': ' (newest {count} only)',
  'incidents.title': 'Incidents reported in the range',

  'legend.travelled': 'Travelled',
  'legend.ahead': 'Still ahead',
  'legend.stop': 'Stop',
  'legend.incident': 'Incident (appears when reported)',
  'legend.gap': 'No signal',

  'follow.label': 'Following {name}',
  'follow.stop': 'Stop',

  'duration.hm': '{h} h {m} min',
  'duration.m': '{m} min',
  'unit.km': '{value} km',

  'incident.code': 'Code',
  'incident.reportedAt': 'Reported',
  'incident.source': 'Source',
  'incident.status': 'Status now',
  'incident.priority': 'Priority',
  'source.grid_worker': 'Grid worker',
  'source.hotline': '12345 hotline',
  'source.police_110': '110 police',
  'source.petition': 'Petition',
  'source.command_center': 'Command center',
  'status.reported': 'Reported',
  'status.accepted': 'Accepted',
  'status.dispatched': 'Dispatched',
  'status.in_progress': 'In progress',
  'status.resolved': 'Resolved',
  'status.rated': 'Rated',
  'status.closed': 'Closed',
  'status.returned': 'Returned',
  'status.void': 'Void',
  'priority.1': 'Urgent',
  'priority.2': 'High',
  'priority.3': 'Normal',
  'priority.4': 'Low',
  'worker.grid': 'Grid',
  'card.time': 'Time',
  'card.duration': 'Duration',
  'role.grid_leader': 'Grid leader',
  'role.full_time': 'Full-time worker',
  'role.part_time': 'Part-time worker',
  'legend.title': 'Legend',
};

export const replayMessages: Record<Locale, ReplayMessages> = { 'zh-CN': replayZhCN, en: replayEn };

export type ReplayT = (key: ReplayMessageKey, params?: Record<string, string | number>) => string;

/** Pure translate (falls back to zh-CN, then the key; fills `{name}` placeholders). */
export function replayTranslate(locale: Locale, key: ReplayMessageKey, params?: Record<string, string | number>): string {
  const template = replayMessages[locale]?.[key] ?? replayZhCN[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Translation of a key that may not exist (an incident source or status from the server). */
export function replayTranslateLoose(locale: Locale, key: string, fallback: string): string {
  return key in replayZhCN ? replayTranslate(locale, key as ReplayMessageKey) : fallback;
}

/** The replay's translate function for the current locale, and the locale. */
export function useReplayT(): { t: ReplayT; locale: Locale } {
  const [locale] = useLocale();
  const t = useCallback<ReplayT>((key, params) => replayTranslate(locale, key, params), [locale]);
  return { t, locale };
}
