// Strings of the admin page (zh-CN default, en), read with useAdminT().
import { useLocale, type Locale } from '../i18n/index.js';

const zhCN = {
  pageTitle: '系统管理',
  back: '返回指挥中心',
  tabUsers: '用户',
  tabTokens: '令牌',
  tabDevices: '终端设备',
  tabOpen311: '12345 接入',
  loading: '加载中…',
  failed: '操作失败：{message}',
  shownOnce: '请立即复制保存，此内容只显示这一次：',
  dismiss: '我已保存',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  township: '所辖镇街编码',
  active: '状态',
  activeYes: '启用',
  activeNo: '停用',
  lastLogin: '最近登录',
  create: '新建',
  deactivate: '停用',
  activate: '启用',
  resetPassword: '重置密码',
  newPassword: '{name} 的新密码',
  createdPassword: '{name} 的初始密码',
  kind: '类型',
  kind_api: 'API 令牌',
  kind_screen: '大屏令牌',
  label: '用途',
  user: '所属用户',
  expires: '到期',
  lastUsed: '最近使用',
  revoked: '已吊销',
  revoke: '吊销',
  issue: '签发',
  newToken: '新令牌',
  screenLink: '大屏链接',
  device: '设备号',
  worker: '网格员',
  grid: '网格',
  keyIssued: '密钥签发',
  noKey: '无密钥',
  lastSeen: '最近上报',
  issueKey: '签发密钥',
  rotateKey: '更换密钥',
  newKey: '设备 {id} 的密钥（填入 Traccar Client 服务器地址：…/osmand?key=密钥）',
  filter: '筛选（设备号、姓名、网格）',
  clientName: '接入系统名称',
  apiKey: '{name} 的 api_key',
  confirmRevoke: '确定吊销？此操作不可撤销。',
  never: '—',
  onlyAdmins: '仅管理员可访问',
};
export type AdminStringKey = keyof typeof zhCN;

const en: Record<AdminStringKey, string> = {
  pageTitle: 'Administration',
  back: 'Back to the command center',
  tabUsers: 'Users',
  tabTokens: 'Tokens',
  tabDevices: 'Devices',
  tabOpen311: '12345 hotline',
  loading: 'Loading…',
  failed: 'Failed: {message}',
  shownOnce: 'Copy and keep this now; it is shown only once:',
  dismiss: 'I have saved it',
  username: 'Username',
  displayName: 'Name',
  role: 'Role',
  township: 'Township code',
  active: 'Status',
  activeYes: 'active',
  activeNo: 'deactivated',
  lastLogin: 'Last login',
  create: 'Create',
  deactivate: 'Deactivate',
  activate: 'Activate',
  resetPassword: 'Reset password',
  newPassword: 'New password of {name}',
  createdPassword: 'Initial password of {name}',
  kind: 'Kind',
  kind_api: 'API token',
  kind_screen: 'Screen token',
  label: 'Purpose',
  user: 'User',
  expires: 'Expires',
  lastUsed: 'Last used',
  revoked: 'revoked',
  revoke: 'Revoke',
  issue: 'Issue',
  newToken: 'New token',
  screenLink: 'Wall screen link',
  device: 'Device',
  worker: 'Worker',
  grid: 'Grid',
  keyIssued: 'Key issued',
  noKey: 'no key',
  lastSeen: 'Last report',
  issueKey: 'Issue key',
  rotateKey: 'Rotate key',
  newKey: 'Key of device {id} (in Traccar Client, server URL …/osmand?key=KEY)',
  filter: 'Filter (device, name, grid)',
  clientName: 'System name',
  apiKey: 'api_key of {name}',
  confirmRevoke: 'Revoke? This cannot be undone.',
  never: '—',
  onlyAdmins: 'Administrators only',
};

export const ADMIN_STRINGS: Record<Locale, Record<AdminStringKey, string>> = { 'zh-CN': zhCN, en };

export type AdminT = (key: AdminStringKey, params?: Record<string, string | number>) => string;

export function adminT(locale: Locale): AdminT {
  return (key, params) => {
    const s = ADMIN_STRINGS[locale]?.[key] ?? zhCN[key];
    return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
  };
}

export function useAdminT(): AdminT {
  const [locale] = useLocale();
  return adminT(locale);
}
