import { requestJson } from './http';
import type { components } from './schema';

/**
 * What Approve will do (approvals/ApprovalPlan). action CANARY: approval starts the canary; PROMOTE:
 * approval makes the candidate champion at once. championVersion is null when no champion exists
 * yet (the canary is judged against the baseline order).
 */
export type ApprovalPlan = components['schemas']['ApprovalPlan'];

/**
 * GET /api/approvals: one candidate waiting for a release manager (approvals/PendingApproval);
 * champion is null when there is no champion yet, plan missing for runs started before it existed.
 */
export type PendingApproval = components['schemas']['PendingApproval'];

export function fetchApprovals(signal?: AbortSignal): Promise<PendingApproval[]> {
  return requestJson<PendingApproval[]>('/api/approvals', { signal, timeoutMs: 15_000 });
}
