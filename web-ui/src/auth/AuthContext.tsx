import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthorized } from '../api/http';
import { fetchMe, signIn as apiSignIn, signOut as apiSignOut, type Me, type Role } from '../api/session';

export type AuthState =
  | { phase: 'loading' }
  | { phase: 'signed-out'; expired?: boolean }
  | { phase: 'error'; message: string }
  | { phase: 'signed-in'; me: Me };

interface AuthContextValue {
  state: AuthState;
  /** Throws ApiError (401 for bad credentials). */
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  retry: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** `initialMe` starts signed in without asking GET /api/me (tests, embedding). */
export function AuthProvider({ children, initialMe }: { children: ReactNode; initialMe?: Me }) {
  const [state, setState] = useState<AuthState>(initialMe ? { phase: 'signed-in', me: initialMe } : { phase: 'loading' });
  const [attempt, setAttempt] = useState(initialMe ? -1 : 0);

  useEffect(() => {
    if (attempt < 0) return;
    const controller = new AbortController();
    fetchMe(controller.signal).then(
      (me) => setState({ phase: 'signed-in', me }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) setState({ phase: 'signed-out' });
        else setState({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // Any later 401 (the cookie expired) sends the person back to the sign-in form.
  useEffect(() => onUnauthorized(() => setState({ phase: 'signed-out', expired: true })), []);

  const signIn = useCallback(async (username: string, password: string) => {
    await apiSignIn(username, password);
    const me = await fetchMe();
    setState({ phase: 'signed-in', me });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiSignOut();
    } finally {
      setState({ phase: 'signed-out' });
    }
  }, []);

  const retry = useCallback(() => {
    setState({ phase: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, retry }), [state, signIn, signOut, retry]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in person; only call below the sign-in gate. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.phase !== 'signed-in') throw new Error('useMe while not signed in');
  return state.me;
}

export function hasAnyRole(me: Me | null | undefined, roles: readonly Role[] | undefined): boolean {
  if (!roles) return true;
  return !!me && me.roles.some((r) => roles.includes(r));
}

/** What each role may do, mirroring the API's @RolesAllowed. */
export const CAN_TRIGGER: readonly Role[] = ['ml-engineer', 'admin'];
export const CAN_DECIDE: readonly Role[] = ['release-manager', 'admin'];
export const CAN_VIEW_RUNS: readonly Role[] = ['ml-engineer', 'release-manager', 'admin'];
