// Writes need a dispatcher (or administrator): a button that opens the login form in place, for a
// visitor or a viewer who has to act. Logging in replaces the session for the whole page.
import { useState } from 'react';
import { LoginForm, SessionBadge } from '../auth/LoginForm.js';
import { useSession } from '../auth/useSession.js';
import type { CurrentUser } from '../auth/api.js';
import { useIncidentT } from './strings.js';
import { useAuthT } from '../auth/strings.js';

export const canHandleIncidents = (user: CurrentUser | null | undefined): boolean => user?.role === 'dispatcher' || user?.role === 'admin';

export function DispatcherLogin({ label }: { label?: string }) {
  const t = useIncidentT();
  const ta = useAuthT();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const user = session.user;
  return (
    <div className="incident-login" data-testid="incident-login">
      {user && !canHandleIncidents(user) && <p className="incident-muted">{t('noRole', { role: ta(`role_${user.role}`) })}</p>}
      {user && <SessionBadge />}
      {open ? (
        <LoginForm title={t('loginTitle')} onLoggedIn={() => setOpen(false)} />
      ) : (
        <button type="button" className="incident-btn incident-btn--primary" onClick={() => setOpen(true)} data-testid="incident-login-open">
          {label ?? t('loginToAct')}
        </button>
      )}
    </div>
  );
}
