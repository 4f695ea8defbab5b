import { requestJson } from './http';
import type { GateVerdict, ModelScores, RegisteredVersion, RunSummary } from './runs';

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
}

export function fetchApprovals(signal?: AbortSignal): Promise<PendingApproval[]> {
  return requestJson<PendingApproval[]>('/api/approvals', { signal, timeoutMs: 15_000 });
}
