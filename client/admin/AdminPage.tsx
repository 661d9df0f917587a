// The admin page at /admin (administrators): users, API and wall-screen tokens, the workers' phone
// keys and the systems connected through Open311. Secrets (passwords, tokens, keys) are shown once,
// in a box to copy, as the server returns them only once.
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { SessionBadge } from '../auth/LoginForm.js';
import { useAuthT } from '../auth/strings.js';
import type { Role } from '../auth/api.js';
import { AdminApi, AdminApiError, type AdminDevice, type AdminOpen311Client, type AdminToken, type AdminUser } from './api.js';
import { useAdminT, type AdminT } from './strings.js';
import './admin.css';

type Tab = 'users' | 'tokens' | 'devices' | 'open311';
const ROLES: Role[] = ['viewer', 'dispatcher', 'editor', 'admin'];

const when = (iso: string | null, t: AdminT) => (iso ? new Date(iso).toLocaleString() : t('never'));
const errorText = (err: unknown, t: AdminT) => t('failed', { message: err instanceof AdminApiError || err instanceof Error ? err.message : String(err) });

/** Loads a list and reloads it after each action; errors in the UI language. */
function useList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => load().then(setItems, (e: unknown) => setError(String(e instanceof Error ? e.message : e))), [load]);
  useEffect(() => { void reload(); }, [reload]);
  return { items, error, reload };
}

function Secret({ title, value, onDone }: { title: string; value: string; onDone: () => void }) {
  const t = useAdminT();
  return (
    <div className="admin-secret" role="alert" data-testid="admin-secret">
      <p>{t('shownOnce')} <strong>{title}</strong></p>
      <code>{value}</code>
      <button type="button" onClick={onDone}>{t('dismiss')}</button>
    </div>
  );
}

interface ActionProps { api: AdminApi; t: AdminT; run: (fn: () => Promise<unknown>) => Promise<void>; show: (title: string, value: string) => void }

function UsersTab({ api, t, run, show }: ActionProps) {
  const at = useAuthT();
  const list = useList(api.users);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'viewer' as Role, township: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.createUser({ username: form.username.trim(), displayName: form.displayName.trim(), role: form.role, ...(form.township ? { township: form.township.trim() } : {}) });
      if (r.password) show(t('createdPassword', { name: r.user.username }), r.password);
      setForm({ username: '', displayName: '', role: 'viewer', township: '' });
      await list.reload();
    });
  };
  return (
    <>
      <form className="admin-form" onSubmit={submit} aria-label={t('create')}>
        <input name="username" placeholder={t('username')} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        <input name="displayName" placeholder={t('displayName')} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => <option key={r} value={r}>{at(`role_${r}`)}</option>)}
        </select>
        {form.role === 'dispatcher' && <input name="township" placeholder={t('township')} value={form.township} onChange={(e) => setForm({ ...form, township: e.target.value })} />}
        <button type="submit">{t('create')}</button>
      </form>
      <Table loading={!list.items} error={list.error} t={t} head={[t('username'), t('displayName'), t('role'), t('township'), t('active'), t('lastLogin'), '']}>
        {list.items?.map((u: AdminUser) => (
          <tr key={u.id} data-user={u.username}>
            <td>{u.username}</td><td>{u.displayName}</td>
            <td>
              <select aria-label={t('role')} value={u.role} onChange={(e) => void run(async () => { await api.updateUser(u.id, { role: e.target.value as Role }); await list.reload(); })}>
                {ROLES.map((r) => <option key={r} value={r}>{at(`role_${r}`)}</option>)}
              </select>
            </td>
            <td>{u.township ?? '—'}</td>
            <td>{u.active ? t('activeYes') : t('activeNo')}</td>
            <td>{when(u.lastLoginAt, t)}</td>
            <td className="admin-actions">
              <button type="button" onClick={() => void run(async () => { await api.updateUser(u.id, { active: !u.active }); await list.reload(); })}>{u.active ? t('deactivate') : t('activate')}</button>
              <button type="button" onClick={() => void run(async () => show(t('newPassword', { name: u.username }), (await api.resetPassword(u.id)).password))}>{t('resetPassword')}</button>
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function TokensTab({ api, t, run, show }: ActionProps) {
  const list = useList(api.tokens);
  const users = useList(api.users);
  const [form, setForm] = useState({ userId: '', kind: 'api' as 'api' | 'screen', label: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.createToken({ userId: Number(form.userId), kind: form.kind, label: form.label.trim() });
      show(form.kind === 'screen' ? t('screenLink') : t('newToken'), form.kind === 'screen' ? `${location.origin}/screen#token=${r.token}` : r.token);
      setForm({ ...form, label: '' });
      await list.reload();
    });
  };
  return (
    <>
      <form className="admin-form" onSubmit={submit} aria-label={t('issue')}>
        <select name="userId" aria-label={t('user')} value={form.userId} onChange={(e) => setForm({ ...form, userId: e.target.value })}>
          <option value="">{t('user')}</option>
          {users.items?.filter((u) => u.active).map((u) => <option key={u.id} value={u.id}>{u.username}（{u.displayName}）</option>)}
        </select>
        <select name="kind" aria-label={t('kind')} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as 'api' | 'screen' })}>
          <option value="api">{t('kind_api')}</option><option value="screen">{t('kind_screen')}</option>
        </select>
        <input name="label" placeholder={t('label')} value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} />
        <button type="submit">{t('issue')}</button>
      </form>
      <Table loading={!list.items} error={list.error} t={t} head={[t('kind'), t('label'), t('user'), t('expires'), t('lastUsed'), '']}>
        {list.items?.map((k: AdminToken) => (
          <tr key={k.ref}>
            <td>{t(`kind_${k.kind}`)}</td><td>{k.label}</td><td>{k.username}</td><td>{when(k.expiresAt, t)}</td><td>{when(k.lastUsedAt, t)}</td>
            <td className="admin-actions">
              {k.revokedAt ? t('revoked') : (
                <button type="button" onClick={() => { if (confirm(t('confirmRevoke'))) void run(async () => { await api.revokeToken(k.ref); await list.reload(); }); }}>{t('revoke')}</button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function DevicesTab({ api, t, run, show }: ActionProps) {
  const list = useList(api.devices);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim();
    return (list.items ?? []).filter((d) => !f || d.deviceId.includes(f) || d.worker.includes(f) || d.grid.includes(f)).slice(0, 200);
  }, [list.items, filter]);
  return (
    <>
      <div className="admin-form"><input placeholder={t('filter')} value={filter} onChange={(e) => setFilter(e.target.value)} /></div>
      <Table loading={!list.items} error={list.error} t={t} head={[t('device'), t('worker'), t('grid'), t('township'), t('keyIssued'), t('lastSeen'), '']}>
        {shown.map((d: AdminDevice) => (
          <tr key={d.deviceId}>
            <td>{d.deviceId}</td><td>{d.worker}</td><td>{d.grid}</td><td>{d.township}</td>
            <td>{d.keyIssuedAt ? when(d.keyIssuedAt, t) : t('noKey')}</td><td>{when(d.lastSeen, t)}</td>
            <td className="admin-actions">
              <button type="button" onClick={() => void run(async () => { show(t('newKey', { id: d.deviceId }), (await api.issueDeviceKey(d.deviceId)).key); await list.reload(); })}>
                {d.keyIssuedAt ? t('rotateKey') : t('issueKey')}
              </button>
              {d.keyIssuedAt && (
                <button type="button" onClick={() => { if (confirm(t('confirmRevoke'))) void run(async () => { await api.revokeDeviceKey(d.deviceId); await list.reload(); }); }}>{t('revoke')}</button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Open311Tab({ api, t, run, show }: ActionProps) {
  const list = useList(api.open311Clients);
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.createOpen311Client(name.trim());
      show(t('apiKey', { name: r.client.name }), r.apiKey);
      setName('');
      await list.reload();
    });
  };
  return (
    <>
      <form className="admin-form" onSubmit={submit} aria-label={t('create')}>
        <input name="name" placeholder={t('clientName')} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit">{t('create')}</button>
      </form>
      <Table loading={!list.items} error={list.error} t={t} head={[t('clientName'), t('active'), '']}>
        {list.items?.map((c: AdminOpen311Client) => (
          <tr key={c.id}>
            <td>{c.name}</td><td>{c.active ? t('activeYes') : `${t('revoked')} ${when(c.revokedAt, t)}`}</td>
            <td className="admin-actions">
              {c.active && <button type="button" onClick={() => { if (confirm(t('confirmRevoke'))) void run(async () => { await api.revokeOpen311Client(c.id); await list.reload(); }); }}>{t('revoke')}</button>}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Table({ head, loading, error, t, children }: { head: string[]; loading: boolean; error: string | null; t: AdminT; children: ReactNode }) {
  if (error) return <p className="admin-error" role="alert">{t('failed', { message: error })}</p>;
  if (loading) return <p>{t('loading')}</p>;
  return (
    <table className="admin-table">
      <thead><tr>{head.map((h, i) => <th key={i}>{h}</th>)}</tr></thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function AdminPage({ onBack }: { onBack?: () => void }) {
  const t = useAdminT();
  const api = useMemo(() => new AdminApi(), []);
  const [tab, setTab] = useState<Tab>('users');
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { document.title = `${t('pageTitle')} · 东海县网格化治理指挥中心`; }, [t]);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); } catch (err) { setError(errorText(err, t)); }
  }, [t]);
  const props: ActionProps = { api, t, run, show: (title, value) => setSecret({ title, value }) };
  const tabs: Array<[Tab, string]> = [['users', t('tabUsers')], ['tokens', t('tabTokens')], ['devices', t('tabDevices')], ['open311', t('tabOpen311')]];
  return (
    <div className="admin-page" data-testid="admin-page">
      <header className="admin-header">
        <h1>{t('pageTitle')}</h1>
        <nav className="admin-tabs" role="tablist">
          {tabs.map(([k, label]) => <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>{label}</button>)}
        </nav>
        <span className="admin-header__right">
          {onBack && <button type="button" onClick={onBack}>{t('back')}</button>}
          <SessionBadge />
        </span>
      </header>
      <main className="admin-main">
        {secret && <Secret title={secret.title} value={secret.value} onDone={() => setSecret(null)} />}
        {error && <p className="admin-error" role="alert">{error}</p>}
        {tab === 'users' && <UsersTab {...props} />}
        {tab === 'tokens' && <TokensTab {...props} />}
        {tab === 'devices' && <DevicesTab {...props} />}
        {tab === 'open311' && <Open311Tab {...props} />}
      </main>
    </div>
  );
}
