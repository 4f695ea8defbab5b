import { requestJson } from './http';

/** Role names as the API spells them (services/api security/Roles). */
export type Role = 'ml-engineer' | 'release-manager' | 'admin' | (string & {});

/** Response of GET /api/me. */
export interface Me {
  username: string;
  roles: Role[];
}

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return requestJson<Me>('/api/me', { signal, timeoutMs: 15_000, quietUnauthorized: true });
}

/** POST /api/session, form-encoded: the API answers 200 with the HttpOnly session cookie, or 401. */
export async function signIn(username: string, password: string): Promise<void> {
  await requestJson<void>('/api/session', {
    method: 'POST',
    body: new URLSearchParams({ username, password }),
    timeoutMs: 15_000,
    quietUnauthorized: true,
  });
}

/** DELETE /api/session: expires the cookie. */
export async function signOut(): Promise<void> {
  await requestJson<void>('/api/session', { method: 'DELETE', timeoutMs: 15_000, quietUnauthorized: true });
}
