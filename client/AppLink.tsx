// A link to another page of the app: a plain click changes the page in place (history.pushState);
// a middle click or a modified click opens it as the browser would, in a new tab or window.
import type { ReactNode } from 'react';
import { navigate } from './router.js';

export function AppLink({ to, keepQuery = false, className = 'app-header__link', title, testId, children }: {
  /** pathname of the page */
  to: string;
  /** keep the map state in the query string (the wall screen opens the same view) */
  keepQuery?: boolean;
  className?: string;
  title?: string;
  testId?: string;
  children: ReactNode;
}) {
  const href = keepQuery ? `${to}${globalThis.location?.search ?? ''}` : to;
  return (
    <a
      className={className}
      href={href}
      title={title}
      data-testid={testId}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to, { keepQuery });
      }}
    >
      {children}
    </a>
  );
}
