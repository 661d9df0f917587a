// Strings of the login form and session UI (zh-CN default, en), read with useLocale().
import { useLocale, type Locale } from '../i18n/index.js';

const zhCN = {
  title: '登录',
  subtitle: '东海县网格化治理指挥中心',
  username: '用户名',
  password: '密码',
  submit: '登录',
  submitting: '正在登录…',
  wrongPassword: '用户名或密码错误',
  tooMany: '登录失败次数过多，请 {seconds} 秒后再试',
  tooManyNoTime: '登录失败次数过多，请稍后再试',
  failed: '登录失败：{message}',
  offline: '无法连接服务器，请检查网络',
  required: '请输入用户名和密码',
  logout: '退出登录',
  loggedInAs: '{name}（{role}）',
  role_viewer: '查看员',
  role_dispatcher: '调度员',
  role_editor: '编辑员',
  role_admin: '管理员',
  checking: '正在确认登录状态…',
  needRole: '{name}（{role}）无权访问此页面，需要{need}权限，请换一个账号登录',
  or: '或',
};
export type AuthStringKey = keyof typeof zhCN;

const en: Record<AuthStringKey, string> = {
  title: 'Log in',
  subtitle: 'Donghai County grid governance command center',
  username: 'Username',
  password: 'Password',
  submit: 'Log in',
  submitting: 'Logging in…',
  wrongPassword: 'Wrong username or password',
  tooMany: 'Too many failed logins; try again in {seconds} s',
  tooManyNoTime: 'Too many failed logins; try again later',
  failed: 'Login failed: {message}',
  offline: 'Cannot reach the server; check the network',
  required: 'Enter your username and password',
  logout: 'Log out',
  loggedInAs: '{name} ({role})',
  role_viewer: 'viewer',
  role_dispatcher: 'dispatcher',
  role_editor: 'editor',
  role_admin: 'administrator',
  checking: 'Checking the login…',
  needRole: '{name} ({role}) may not open this page; it needs the {need} role. Log in with another account',
  or: ' or ',
};

export const AUTH_STRINGS: Record<Locale, Record<AuthStringKey, string>> = { 'zh-CN': zhCN, en };

export type AuthT = (key: AuthStringKey, params?: Record<string, string | number>) => string;

export function authT(locale: Locale): AuthT {
  return (key, params) => {
    const s = AUTH_STRINGS[locale]?.[key] ?? zhCN[key];
    return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
  };
}

export function useAuthT(): AuthT {
  const [locale] = useLocale();
  return authT(locale);
}
