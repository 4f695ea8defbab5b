import { ApiError, requestJson } from './http';
import type { components } from './schema';

/** Role names as the API spells them (services/api security/Roles). */
export type Role = 'ml-engineer' | 'release-manager' | 'admin' | (string & {});

/** Response of GET /api/me, as documented (every field may be missing). */
type MeAnswer = components['schemas']['Me'];

/** The signed-in person: GET /api/me with every field present (fetchMe checks). */
export type Me = { [K in keyof MeAnswer]-?: NonNullable<MeAnswer[K]> };

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const answer = await requestJson<MeAnswer>('/api/me', { signal, timeoutMs: 15_000, quietUnauthorized: true });
  if (!answer?.username) throw new ApiError('Unexpected response from /api/me: no username');
  return { username: answer.username, roles: answer.roles ?? [] };
}

/** POST /api/session, form-encoded: 200 with the HttpOnly session cookie, 401 on bad credentials, 429 after repeated failures. */
export async function signIn(username: string, password: string): Promise<void> {
  await requestJson<void>('/api/session', {
    method: 'POST',
    body: new URLSearchParams({ username, password }),
    timeoutMs: 15_000,
    quietUnauthorized: true,
  });
}

/** DELETE /api/session: ends the session server-side and expires the cookie. */
export async function signOut(): Promise<void> {
  await requestJson<void>('/api/session', { method: 'DELETE', timeoutMs: 15_000, quietUnauthorized: true });
}
