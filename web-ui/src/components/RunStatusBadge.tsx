import type { RunStatus } from '../api/runs';
import { humanize } from '../format';

const TONE: Record<RunStatus, string> = {
  RUNNING: 'info',
  AWAITING_APPROVAL: 'warn',
  APPROVED: 'ok',
  PROMOTED: 'ok',
  ROLLED_BACK: 'bad',
  REJECTED: 'bad',
  APPROVAL_EXPIRED: 'neutral',
  GATE_FAILED: 'bad',
  CANCELLED: 'neutral',
  FAILED: 'bad',
  TERMINATED: 'bad',
};

export default function RunStatusBadge({ status }: { status: RunStatus | null | undefined }) {
  return <span className={`pill pill-${(status && TONE[status]) || 'neutral'}`}>{humanize(status)}</span>;
}
