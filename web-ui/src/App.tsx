import Layout from './components/Layout';
import { findRoute, routes } from './routes';

export default function App() {
  const pathname = window.location.pathname;
  const route = findRoute(pathname);

  return (
    <Layout routes={routes} currentPath={route?.path ?? null}>
      {route ? (
        <route.Component />
      ) : (
        <section aria-labelledby="not-found-title" className="page">
          <h1 id="not-found-title">Page not found</h1>
          <p>
            There is no page at <code>{pathname}</code>. Go to the <a href="/">status overview</a>.
          </p>
        </section>
      )}
    </Layout>
  );
}
