import { PIPELINE_STEPS, bySequence, type RunStep } from '../api/runs';
import { formatLocalTime, humanize } from '../format';

const LABELS: Record<string, string> = {
  extract: 'Extract',
  train: 'Train',
  evaluate: 'Evaluate',
  gate: 'Gate',
  register: 'Register',
  await_approval: 'Await approval',
  rollout: 'Canary rollout',
  done: 'Done',
};

export type StepState = {
  step: string;
  /** "pending", "skipped", or the latest event's status ("started", "completed", "failed", ...). */
  status: string;
  at: string | null;
  current: boolean;
  /** Shown instead of the status when set ("none: champion at approval"). */
  text?: string;
};

const OK = new Set(['completed', 'approved', 'promoted']);
const BAD = new Set(['failed', 'rejected', 'gate_failed', 'expired', 'approval_expired', 'cancelled', 'rolled_back', 'aborted']);

/** One entry per pipeline step, from the run_step_event rows. */
export function stepStates(steps: RunStep[], currentStep: string | null, open: boolean): StepState[] {
  const latest = new Map<string, RunStep>();
  for (const event of [...steps].sort(bySequence)) if (event.step && event.status) latest.set(event.step, event);
  const current = currentStep?.toLowerCase() ?? null;
  return PIPELINE_STEPS.map((step) => {
    const event = latest.get(step);
    return {
      step,
      status: event?.status ?? (open ? 'pending' : 'skipped'),
      at: event?.occurredAt ?? null,
      current: open && step === current,
    };
  });
}

function tone(status: string): string {
  if (OK.has(status)) return 'ok';
  if (BAD.has(status)) return 'bad';
  if (status === 'pending' || status === 'skipped') return 'neutral';
  if (status === 'started') return 'info';
  return 'warn'; // waiting, reminded, ...
}

function statusText(s: StepState): string {
  if (s.text) return s.text;
  if (s.status !== 'started') return humanize(s.status);
  if (!s.current) return 'started';
  return s.step === 'await_approval' ? 'waiting for a decision' : 'running';
}

export default function StepTimeline({ states }: { states: StepState[] }) {
  return (
    <ol className="timeline" aria-label="Pipeline steps">
      {states.map((s) => (
        <li
          key={s.step}
          className={`timeline-step timeline-${tone(s.status)}${s.current ? ' timeline-current' : ''}`}
          aria-current={s.current ? 'step' : undefined}
        >
          <span className="timeline-dot" aria-hidden="true" />
          <span className="timeline-name">{LABELS[s.step] ?? s.step}</span>
          <span className="timeline-status">{statusText(s)}</span>
          {s.at && (
            <time className="timeline-time" dateTime={s.at}>
              {formatLocalTime(s.at)}
            </time>
          )}
        </li>
      ))}
    </ol>
  );
}
