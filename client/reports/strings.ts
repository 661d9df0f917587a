// Strings of the reports page (zh-CN default, en), read with the app's useLocale().
import { useLocale, type Locale } from '../i18n/index.js';

const zhCN = {
  pageTitle: '事件统计报表',
  back: '返回指挥中心',
  period: '周期',
  period_day: '日汇总',
  period_week: '周会商',
  period_month: '月分析',
  period_quarter: '季考核',
  period_custom: '自定义',
  date: '日期',
  from: '开始日期',
  to: '结束日期',
  by: '统计单位',
  by_grid: '网格',
  by_village: '村（社区）',
  by_township: '镇（街道）',
  by_department: '部门',
  prev: '上一期',
  next: '下一期',
  csv: '下载 CSV',
  print: '打印',
  loading: '正在生成报表…',
  failed: '报表生成失败：{message}',
  retry: '重试',
  range: '{first} 至 {last}',
  generatedAt: '生成于 {time}',
  total: '合计',
  code: '编码',
  name: '名称',
  parent: '上级',
  reported: '上报',
  void: '作废',
  closed: '结案',
  closureRate: '结案率',
  avgHours: '平均办结时长',
  p90Hours: 'P90 办结时长',
  overdue: '超期',
  returned: '退回',
  rated: '评价数',
  satisfaction: '满意度',
  hours: '{value} 小时',
  noData: '该时段没有事件',
  chartVolume: '上报与结案（前 {n} 名，按上报数）',
  chartClosure: '结案率（前 {n} 名，按上报数）',
  chartTime: '办结时长（小时，平均 / P90）',
  legendReported: '上报',
  legendClosed: '结案',
  legendAvg: '平均',
  legendP90: 'P90',
  sortBy: '按“{column}”排序',
  rows: '{count} 个单位',
  unknownUnit: '（已撤销的单位）',
  loginTitle: '登录后查看报表',
};
export type ReportStringKey = keyof typeof zhCN;

const en: Record<ReportStringKey, string> = {
  pageTitle: 'Incident reports',
  back: 'Back to the command center',
  period: 'Period',
  period_day: 'Day',
  period_week: 'Week',
  period_month: 'Month',
  period_quarter: 'Quarter',
  period_custom: 'Custom',
  date: 'Date',
  from: 'From',
  to: 'To',
  by: 'Unit',
  by_grid: 'Grid',
  by_village: 'Village',
  by_township: 'Township',
  by_department: 'Department',
  prev: 'Previous',
  next: 'Next',
  csv: 'Download CSV',
  print: 'Print',
  loading: 'Building the report…',
  failed: 'Could not build the report: {message}',
  retry: 'Retry',
  range: '{first} to {last}',
  generatedAt: 'Generated {time}',
  total: 'Total',
  code: 'Code',
  name: 'Name',
  parent: 'Parent',
  reported: 'Reported',
  void: 'Void',
  closed: 'Closed',
  closureRate: 'Closure rate',
  avgHours: 'Avg time to close',
  p90Hours: 'P90 time to close',
  overdue: 'Overdue',
  returned: 'Returned',
  rated: 'Rated',
  satisfaction: 'Satisfaction',
  hours: '{value} h',
  noData: 'No incidents in this period',
  chartVolume: 'Reported and closed (top {n} by reported)',
  chartClosure: 'Closure rate (top {n} by reported)',
  chartTime: 'Time to close (hours, mean / P90)',
  legendReported: 'Reported',
  legendClosed: 'Closed',
  legendAvg: 'Mean',
  legendP90: 'P90',
  sortBy: 'Sort by "{column}"',
  rows: '{count} units',
  unknownUnit: '(retired unit)',
  loginTitle: 'Log in to see the reports',
};

export const REPORT_STRINGS: Record<Locale, Record<ReportStringKey, string>> = { 'zh-CN': zhCN, en };

export type ReportT = (key: ReportStringKey, params?: Record<string, string | number>) => string;

export function reportT(locale: Locale): ReportT {
  return (key, params) => {
    const s = REPORT_STRINGS[locale]?.[key] ?? zhCN[key];
    return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
  };
}

export function useReportT(): ReportT {
  const [locale] = useLocale();
  return reportT(locale);
}
