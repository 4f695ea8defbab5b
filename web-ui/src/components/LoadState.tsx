import type { ReactNode } from 'react';

/** A page's "could not load" alert: what failed, why, and whatever the page adds (stale data, a retry). */
export function LoadError({ what, error, children }: { what: string; error: string; children?: ReactNode }) {
  return (
    <div className="error" role="alert">
      <p>
        <strong>{`Could not load ${what}.`}</strong> {error}
      </p>
      {children}
    </div>
  );
}

/** The placeholder while a page's data is on its way. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      {`Loading ${what}…`}
    </p>
  );
}
