import type { ReactNode } from 'react';
import type { Me } from '../api/session';
import { href } from '../router';
import type { AppRoute } from '../routes';

interface LayoutProps {
  /** Nav entries the signed-in person may use (empty on the sign-in page). */
  routes: AppRoute[];
  /** Nav path of the page being shown, or null when none matches. */
  currentPath: string | null;
  me?: Me | null;
  onSignOut?: () => void;
  children: ReactNode;
}

export default function Layout({ routes, currentPath, me, onSignOut, children }: LayoutProps) {
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={href('/')}>
          rankops
        </a>
        {routes.length > 0 && (
          <nav aria-label="Main">
            <ul className="nav-list">
              {routes.map((route) => (
                <li key={route.path}>
                  <a
                    className="nav-link"
                    href={href(route.path)}
                    aria-current={route.path === currentPath ? 'page' : undefined}
                  >
                    {route.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {me && (
          <div className="user-menu">
            <span className="user-name">
              <span className="visually-hidden">Signed in as </span>
              <strong>{me.username}</strong>{' '}
              <span className="user-roles">({me.roles.join(', ') || 'no roles'})</span>
            </span>
            <button type="button" className="button button-ghost" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
