import { requestJson } from './http';
import type { GateVerdict, ModelScores, RegisteredVersion, RunSummary } from './runs';

/** What Approve will do (approvals/ApprovalPlan). */
export interface ApprovalPlan {
  /** CANARY: approval starts the canary; PROMOTE: approval makes the candidate champion at once. */
  action: 'CANARY' | 'PROMOTE' | (string & {});
  stepsPercent: number[] | null;
  bakeSeconds: number | null;
  minUsersPerArm: number | null;
  /** null when no champion exists yet (the canary is judged against the baseline order) */
  championVersion: string | null;
  candidateVersion: string | null;
}

/** GET /api/approvals: one candidate waiting for a release manager (approvals/PendingApproval). */
export interface PendingApproval {
  run: RunSummary;
  registered: RegisteredVersion | null;
  gate: GateVerdict | null;
  candidate: ModelScores | null;
  /** null when there is no champion yet */
  champion: ModelScores | null;
  fusion: string | null;
  deadlineMillis: number | null;
  /** Missing in answers about runs started before the plan existed. */
  plan?: ApprovalPlan | null;
}

export function fetchApprovals(signal?: AbortSignal): Promise<PendingApproval[]> {
  return requestJson<PendingApproval[]>('/api/approvals', { signal, timeoutMs: 15_000 });
}
