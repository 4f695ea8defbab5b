import { useState } from 'react';
import { cancelRun, type RunDetail, type RunStatus, type RunSummary } from '../../api/runs';
import { formatLocalDateTime } from '../../format';
import { href } from '../../router';
import RunStatusBadge from '../RunStatusBadge';

interface RunHeaderProps {
  /** The run's id, as the page was asked for it. */
  id: string;
  run: RunSummary;
  /** The newest status (the stream's, or the fetched one). */
  status: RunStatus | null;
  links: RunDetail['links'];
  /** The trigger or an admin may cancel the open run. */
  canCancel: boolean;
  /** Called once the API accepted the cancellation. */
  onCancelled: () => void;
}

/** The run's title, what it trains, its MLflow and Temporal links, and Cancel with its confirmation. */
export default function RunHeader({ id, run, status, links, canCancel, onCancelled }: RunHeaderProps) {
  const [confirming, setConfirming] = useState(false);
  const [cancelState, setCancelState] = useState<{ busy: boolean; message: string | null; error: string | null }>({
    busy: false,
    message: null,
    error: null,
  });

  const doCancel = async () => {
    setCancelState({ busy: true, message: null, error: null });
    try {
      await cancelRun(id);
      setCancelState({ busy: false, message: 'Cancellation requested; the run stops at its next step boundary.', error: null });
      setConfirming(false);
      onCancelled();
    } catch (err) {
      setCancelState({ busy: false, message: null, error: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <>
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <a href={href('/runs')}>Runs</a> /
          </p>
          <h1 id="run-title">
            Run <code>{run.id}</code> <RunStatusBadge status={status} />
          </h1>
          <p className="muted">
            {run.modelFamily} → {run.modelName} · window {run.windowStart} → {run.windowEnd} · {run.trigger} by{' '}
            {run.triggeredBy} · created <time dateTime={run.createdAt ?? undefined}>{formatLocalDateTime(run.createdAt)}</time>
          </p>
        </div>
        <div className="page-actions">
          {links?.mlflow && (
            <a className="button button-secondary" href={links.mlflow} target="_blank" rel="noopener noreferrer">
              MLflow run<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          )}
          {links?.temporal && (
            <a className="button button-secondary" href={links.temporal} target="_blank" rel="noopener noreferrer">
              Temporal workflow<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          )}
          {canCancel && !confirming && (
            <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
              Cancel run
            </button>
          )}
        </div>
      </div>

      {confirming && (
        <div className="panel confirm" role="group" aria-labelledby="confirm-cancel">
          <p id="confirm-cancel">
            <strong>Cancel run {run.id}?</strong> The workflow stops; nothing is registered or approved afterwards.
          </p>
          <button type="button" className="button button-danger" disabled={cancelState.busy} onClick={() => void doCancel()}>
            Yes, cancel the run
          </button>{' '}
          <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
            Keep it running
          </button>
        </div>
      )}
      {cancelState.message && (
        <p className="notice" role="status">
          {cancelState.message}
        </p>
      )}
      {cancelState.error && (
        <div className="error" role="alert">
          <p>
            <strong>Could not cancel.</strong> {cancelState.error}
          </p>
        </div>
      )}
    </>
  );
}
