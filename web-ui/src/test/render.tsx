import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Me } from '../api/session';
import { AuthProvider } from '../auth/AuthContext';

export const ERIN: Me = { username: 'erin', roles: ['ml-engineer'] };
export const RITA: Me = { username: 'rita', roles: ['release-manager'] };
export const ADA: Me = { username: 'ada', roles: ['admin'] };

/** Renders a page below a signed-in AuthProvider. */
export function renderAs(me: Me, ui: ReactElement) {
  return render(<AuthProvider initialMe={me}>{ui}</AuthProvider>);
}
