import { useSyncExternalStore } from 'react';

/**
 * Hash routing ("/#/runs/run-1"): the API serves the built UI as static files without a
 * fallback to index.html, so deep links and reloads only work when the path stays "/".
 */
export function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return '/';
  const path = hash.startsWith('/') ? hash : `/${hash}`;
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The app path ("/runs?page=2" without the query) of the current location, re-rendered on change. */
export function usePath(): string {
  const full = useSyncExternalStore(subscribe, currentPath, () => '/');
  return full.split('?')[0] ?? '/';
}

/** The query string part of the hash route ("#/runs?status=RUNNING"). */
export function useQuery(): URLSearchParams {
  const full = useSyncExternalStore(subscribe, currentPath, () => '/');
  const index = full.indexOf('?');
  return new URLSearchParams(index >= 0 ? full.slice(index + 1) : '');
}

export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (options.replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (window.location.hash !== target) {
    window.location.hash = path;
  }
}

/** Matches "/runs/:id" against "/runs/run-1" -> {id: "run-1"}; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}
