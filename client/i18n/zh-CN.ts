// Simplified Chinese: the default language of the operator UI. Every key here must exist in en.ts
// (the `Messages` type enforces it). `{name}` placeholders are filled in by useT().
export const zhCN = {
  'app.title': '东海县网格化治理指挥中心',
  'app.subtitle': '连云港市东海县 · 网格化社会治理',
  'app.loading': '正在加载地图数据…',
  'app.loadError': '数据加载失败：{message}',
  'app.retry': '重试',
  'lang.switch': 'English',
  'lang.switchTitle': '切换为英文界面',
  'legend.title': '图例',
  'legend.urban': '城镇网格',
  'legend.rural': '农村网格',
  'legend.township': '镇街界线',
  'legend.village': '村（社区）界线',
  'legend.count': '{count} 个',
  'stats.grids': '网格 {count} 个',
  'stats.townships': '镇街 {count} 个',
  'stats.villages': '村（社区）{count} 个',
  'tooltip.grid': '网格',
  'tooltip.code': '编码',
  'tooltip.township': '镇街',
  'tooltip.village': '村社区',
  'tooltip.workers': '网格员',
  'tooltip.workersValue': '{count} 人',
  'tooltip.kind': '类型',
  'kind.urban': '城镇',
  'kind.rural': '农村',
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
