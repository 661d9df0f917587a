// A page only for logged-in users (and, when given, these roles): until then the login form, with a
// note when the current user lacks the role (logging in again as someone else replaces the session).
import type { ReactNode } from 'react';
import { hasRole, type Role } from './api.js';
import { LoginForm } from './LoginForm.js';
import { useAuthT } from './strings.js';
import { useSession } from './useSession.js';
import './auth.css';

export interface RequireLoginProps {
  /** Roles that may see the page (an administrator always may); default any logged-in user. */
  roles?: readonly Role[];
  title?: string;
  children: ReactNode;
}

export function RequireLogin({ roles, title, children }: RequireLoginProps) {
  const t = useAuthT();
  const session = useSession();
  if (session.user === undefined) {
    return (
      <div className="auth-gate" data-testid="auth-gate">
        <p className="auth-gate__note">{t('checking')}</p>
      </div>
    );
  }
  if (session.user && hasRole(session.user, roles)) return <>{children}</>;
  const need = (roles ?? []).map((r) => t(`role_${r}`)).join(t('or'));
  return (
    <div className="auth-gate" data-testid="auth-gate">
      {session.user && (
        <p className="auth-gate__note" role="status">
          {t('needRole', { name: session.user.displayName || session.user.username, role: t(`role_${session.user.role}`), need })}
        </p>
      )}
      <LoginForm title={title} />
    </div>
  );
}
