// The login form: username + password → POST /api/auth/login (the server sets an HttpOnly session
// cookie). Errors in the UI language: 401 wrong password, 429 too many attempts (with the wait).
import { useState, type FormEvent } from 'react';
import { login, LoginError, type AuthApiOptions, type CurrentUser } from './api.js';
import { useAuthT, type AuthT } from './strings.js';
import { useSession } from './useSession.js';
import './auth.css';

export interface LoginFormProps {
  /** Heading above the fields (default: 登录). */
  title?: string;
  /** Called after a successful login (the session is already updated). */
  onLoggedIn?: (user: CurrentUser) => void;
  /** For tests / another origin. */
  api?: AuthApiOptions;
}

export function loginErrorText(err: unknown, t: AuthT): string {
  if (err instanceof LoginError) {
    if (err.status === 401) return t('wrongPassword');
    if (err.status === 429) return err.retryAfterS ? t('tooMany', { seconds: err.retryAfterS }) : t('tooManyNoTime');
    if (err.status === 0) return t('offline');
    return t('failed', { message: err.message });
  }
  return t('failed', { message: String(err) });
}

export function LoginForm({ title, onLoggedIn, api }: LoginFormProps) {
  const t = useAuthT();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await login(username.trim(), password, api);
      session.setUser(user);
      onLoggedIn?.(user);
    } catch (err) {
      setError(loginErrorText(err, t));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-login" onSubmit={submit} aria-label={title ?? t('title')} noValidate>
      <h2 className="auth-login__title">{title ?? t('title')}</h2>
      <p className="auth-login__subtitle">{t('subtitle')}</p>
      <label className="auth-login__field">
        <span>{t('username')}</span>
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus disabled={busy} />
      </label>
      <label className="auth-login__field">
        <span>{t('password')}</span>
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} />
      </label>
      {error && (
        <p className="auth-login__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="auth-login__submit" disabled={busy}>
        {busy ? t('submitting') : t('submit')}
      </button>
    </form>
  );
}

/** "张三（编辑员）  退出登录" for a header. */
export function SessionBadge() {
  const t = useAuthT();
  const session = useSession();
  if (!session.user) return null;
  const u = session.user;
  return (
    <span className="auth-badge">
      <span className="auth-badge__name">{t('loggedInAs', { name: u.displayName || u.username, role: t(`role_${u.role}`) })}</span>
      <button type="button" className="auth-badge__logout" onClick={() => void session.logout()}>
        {t('logout')}
      </button>
    </span>
  );
}
