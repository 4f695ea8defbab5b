import { humanize } from '../format';

const TONE: Record<string, string> = {
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
};

export default function RunStatusBadge({ status }: { status: string | null | undefined }) {
  return <span className={`pill pill-${TONE[status ?? ''] ?? 'neutral'}`}>{humanize(status)}</span>;
}
