import { requestJson } from './http';

/** One judged canary step (workflows rollout/CanaryDecision). */
export interface CanaryDecision {
  trafficPercent: number;
  verdict: 'CONTINUE' | 'EXTEND' | 'ROLL_BACK' | string;
  reasons: string[];
  /** Orders per user of the reference arm (champion or baseline); null when not finite. */
  championOrdersPerUser: number | null;
  candidateOrdersPerUser: number | null;
  championUsers: number;
  candidateUsers: number;
  /** null when not finite (no variance yet, too few users) */
  zScore: number | null;
  decidedAtMillis: number;
  /** The reference arm: the champion, or the baseline order when there is no champion yet (absent in older answers). */
  comparedWith?: 'champion' | 'baseline' | (string & {});
  /** The champion's version judged against; null for the baseline. */
  championVersion?: string | null;
}

/** GET /api/runs/{id}/rollout (workflows rollout/RolloutStatus). */
export interface RolloutStatus {
  runId: string;
  modelName?: string;
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
