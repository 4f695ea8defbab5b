import { requestJson } from './http';
import type { components } from './schema';

/**
 * One judged canary step (rollouts/RolloutView.Decision): the reference arm is the champion, or the
 * baseline order when there is no champion yet; numbers the step could not compute are null.
 */
export type CanaryDecision = components['schemas']['Decision'];

/** GET /api/runs/{id}/rollout (rollouts/RolloutView). */
export type RolloutStatus = components['schemas']['RolloutView'];

/** The last path segment of POST /api/runs/{id}/rollout/{control}. */
export type RolloutControl = 'pause' | 'resume' | 'abort' | 'promote';

export function fetchRollout(runId: string, signal?: AbortSignal): Promise<RolloutStatus> {
  return requestJson<RolloutStatus>(`/api/runs/${encodeURIComponent(runId)}/rollout`, { signal, timeoutMs: 15_000 });
}

export function controlRollout(runId: string, control: RolloutControl, reason: string): Promise<RolloutStatus> {
  return requestJson<RolloutStatus>(`/api/runs/${encodeURIComponent(runId)}/rollout/${control}`, {
    method: 'POST',
    body: { reason: reason.trim() || null },
    timeoutMs: 30_000,
  });
}
