import type { ReactNode } from 'react';
import type { AppRoute } from '../routes';

interface LayoutProps {
  routes: AppRoute[];
  /** Path of the page being shown, or null when none matches. */
  currentPath: string | null;
  children: ReactNode;
}

export default function Layout({ routes, currentPath, children }: LayoutProps) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="/">
          rankops
        </a>
        <nav aria-label="Main">
          <ul className="nav-list">
            {routes.map((route) => (
              <li key={route.path}>
                <a
                  className="nav-link"
                  href={route.path}
                  aria-current={route.path === currentPath ? 'page' : undefined}
                >
                  {route.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
