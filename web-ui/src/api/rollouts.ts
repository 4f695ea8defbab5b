import { requestJson } from './http';

/** One judged canary step (workflows rollout/CanaryDecision). */
export interface CanaryDecision {
  trafficPercent: number;
  verdict: 'CONTINUE' | 'EXTEND' | 'ROLL_BACK' | string;
  reasons: string[];
  championOrdersPerUser: number | null;
  candidateOrdersPerUser: number;
  championUsers: number;
  candidateUsers: number;
  zScore: number | null;
  decidedAtMillis: number;
}

/** GET /api/runs/{id}/rollout (workflows rollout/RolloutStatus). */
export interface RolloutStatus {
  runId: string;
  candidateVersion: string;
  trafficPercent: number;
  paused: boolean;
  decisions: CanaryDecision[] | null;
  outcome: 'PROMOTED' | 'ROLLED_BACK' | 'ABORTED' | null;
}

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
