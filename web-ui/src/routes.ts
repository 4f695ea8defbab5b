import { lazy, type ComponentType } from 'react';
import type { Role } from './api/session';
import { CAN_DECIDE, CAN_TRIGGER, CAN_VIEW_RUNS } from './auth/AuthContext';
import { matchPath } from './router';
import ModelsPage from './pages/ModelsPage';
import NewRunPage from './pages/NewRunPage';
import RunsPage from './pages/RunsPage';
import SchedulesPage from './pages/SchedulesPage';
import StatusPage from './pages/StatusPage';

// The chart pages load recharts on demand, keeping the first download small.
const RunDetailPage = lazy(() => import('./pages/RunDetailPage'));
const ApprovalsPage = lazy(() => import('./pages/ApprovalsPage'));

export interface PageProps {
  params: Record<string, string>;
}

export interface AppRoute {
  /** Path pattern inside the hash ("/runs/:id"). */
  path: string;
  /** Label in the top navigation; routes without one are reached by links only. */
  label?: string;
  /** The nav entry highlighted while this page shows (defaults to path). */
  section?: string;
  /** Roles that may open the page (any of them); undefined = every signed-in person. */
  roles?: readonly Role[];
  /** What the page is called when it fails to display ("Run page"). */
  name: string;
  Component: ComponentType<PageProps>;
}

/**
 * Pages of the console; labelled ones appear in the top nav in this order, filtered by role.
 * Add Rollouts here once its API exists (no placeholder entries).
 */
export const routes: AppRoute[] = [
  { path: '/', label: 'Status', name: 'Status page', Component: StatusPage },
  { path: '/runs', label: 'Runs', name: 'Runs page', roles: CAN_VIEW_RUNS, Component: RunsPage },
  { path: '/runs/new', label: 'New run', name: 'New run page', roles: CAN_TRIGGER, Component: NewRunPage },
  { path: '/runs/:id', section: '/runs', name: 'Run page', roles: CAN_VIEW_RUNS, Component: RunDetailPage },
  { path: '/approvals', label: 'Approvals', name: 'Approvals page', roles: CAN_DECIDE, Component: ApprovalsPage },
  { path: '/models', label: 'Models', name: 'Models page', roles: CAN_VIEW_RUNS, Component: ModelsPage },
  { path: '/schedules', label: 'Schedules', name: 'Schedules page', roles: CAN_VIEW_RUNS, Component: SchedulesPage },
];

export function findRoute(pathname: string): { route: AppRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return undefined;
}
