import { Suspense, useEffect, useRef } from 'react';
import { AuthProvider, hasAnyRole, useAuth } from './auth/AuthContext';
import ErrorBoundary from './components/ErrorBoundary';
import Layout from './components/Layout';
import LoginPage from './pages/LoginPage';
import { href, usePath } from './router';
import { findRoute, routes } from './routes';

function Shell() {
  const { state, signOut, retry } = useAuth();
  const path = usePath();
  const mainFocus = useRef(path);

  // Move focus to the page on navigation, so screen readers and keyboards start at the content.
  useEffect(() => {
    if (mainFocus.current !== path) {
      mainFocus.current = path;
      document.getElementById('main')?.focus();
    }
  }, [path]);

  if (state.phase === 'loading') {
    return (
      <Layout routes={[]} currentPath={null}>
        <p className="loading" role="status">
          Checking your session…
        </p>
      </Layout>
    );
  }
  if (state.phase === 'error') {
    return (
      <Layout routes={[]} currentPath={null}>
        <div className="error" role="alert">
          <p>
            <strong>Could not reach the rankops API.</strong> {state.message}
          </p>
        </div>
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      </Layout>
    );
  }
  if (state.phase === 'signed-out') {
    return (
      <Layout routes={[]} currentPath={null}>
        <LoginPage expired={state.expired} />
      </Layout>
    );
  }

  const me = state.me;
  const navRoutes = routes.filter((r) => r.label && hasAnyRole(me, r.roles));
  const found = findRoute(path);
  const allowed = found && hasAnyRole(me, found.route.roles);

  return (
    <Layout
      routes={navRoutes}
      currentPath={found ? (found.route.section ?? found.route.path) : null}
      me={me}
      onSignOut={() => void signOut()}
    >
      {found && allowed ? (
        // A page that fails to render shows why instead of blanking the app; any navigation
        // (Back included) changes the path and renders the next page afresh.
        <ErrorBoundary name={found.route.name} resetKeys={[path]}>
          <Suspense
            fallback={
              <p className="loading" role="status">
                Loading page…
              </p>
            }
          >
            <found.route.Component key={path} params={found.params} />
          </Suspense>
        </ErrorBoundary>
      ) : found ? (
        <section aria-labelledby="forbidden-title" className="page">
          <h1 id="forbidden-title">Not available for your role</h1>
          <p>
            Your role{me.roles.length === 1 ? '' : 's'} ({me.roles.join(', ') || 'none'}) cannot use this page. Go to
            the <a href={href('/')}>status overview</a>.
          </p>
        </section>
      ) : (
        <section aria-labelledby="not-found-title" className="page">
          <h1 id="not-found-title">Page not found</h1>
          <p>
            There is no page at <code>{path}</code>. Go to the <a href={href('/')}>status overview</a>.
          </p>
        </section>
      )}
    </Layout>
  );
}

export default function App() {
  return (
    <AuthProvider>
      <Shell />
    </AuthProvider>
  );
}
