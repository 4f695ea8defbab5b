import { href } from '../../router';
import { humanize } from '../../format';
import ErrorBoundary from '../ErrorBoundary';
import StepTimeline, { type StepState } from '../StepTimeline';

interface ProgressPanelProps {
  progress: { value: number; label: string };
  /** The workflow still runs. */
  open: boolean;
  /** The event stream is connected. */
  connected: boolean;
  /** Why the event stream stopped for good. */
  streamError: string | null;
  states: StepState[];
  /** Clears a failed timeline when it changes (the fetched detail). */
  timelineResetKey: unknown;
  /** What approval will do (or did), when there is something to say. */
  rolloutSentence: string | null;
  reason: string | null;
  /** The run's outcome, or its status, named beside a closed run's bar. */
  outcome: string | null;
  /** The error of the latest failed step. */
  failure: string | undefined;
  /** The run waits for a decision this person may take. */
  awaitsTheirDecision: boolean;
  /** Why the API has no live status or result (RunDetail.note). */
  note: string | null | undefined;
}

/** Overall progress, the step timeline, and what the run did or waits for. */
export default function ProgressPanel(props: ProgressPanelProps) {
  const { progress, open, connected, reason, failure } = props;
  const percent = Math.round(progress.value * 100);
  return (
    <section className="panel" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <div
        className="progress"
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} %, ${progress.label}`}
      >
        <div className={`progress-fill${open ? ' progress-live' : ''}`} style={{ width: `${progress.value * 100}%` }} />
      </div>
      <p className="progress-label">
        <span>{progress.label}</span>
        <span className="muted">{open ? (connected ? 'live' : 'connecting…') : reason ? humanize(props.outcome) : ''}</span>
      </p>
      {props.streamError && <p className="muted">{props.streamError}</p>}
      <ErrorBoundary name="Step timeline" resetKeys={[props.timelineResetKey]}>
        <StepTimeline states={props.states} />
      </ErrorBoundary>
      {props.rolloutSentence && <p className="muted">{props.rolloutSentence}</p>}
      {reason && !open && (
        <p className="outcome">
          <strong>Outcome:</strong> {reason}
        </p>
      )}
      {failure && (
        <div className="error" role="alert">
          <p>
            <strong>The step failed.</strong> {failure}
          </p>
        </div>
      )}
      {props.awaitsTheirDecision && (
        <p className="notice">
          This run waits for a decision: <a href={href('/approvals')}>open the approvals inbox</a>.
        </p>
      )}
      {props.note && <p className="muted">{props.note}</p>}
    </section>
  );
}
