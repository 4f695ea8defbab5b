import type { ComponentType } from 'react';
import StatusPage from './pages/StatusPage';

export interface AppRoute {
  path: string;
  /** Label in the top navigation. */
  label: string;
  Component: ComponentType;
}

/**
 * Pages of the console, in navigation order. Add Runs, Approvals, Models, Rollouts and
 * Schedules here once they exist (no placeholder entries).
 */
export const routes: AppRoute[] = [{ path: '/', label: 'Status', Component: StatusPage }];

export function findRoute(pathname: string): AppRoute | undefined {
  const normalized = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return routes.find((route) => route.path === normalized);
}
