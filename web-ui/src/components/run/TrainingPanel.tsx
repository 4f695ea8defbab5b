import type { PipelineStatus, TrainingResult } from '../../api/runs';
import { MetricCurves } from '../../charts/Charts';
import { formatScore } from '../../format';
import type { TrainingCurves } from '../../hooks/useRunDetail';
import ErrorBoundary from '../ErrorBoundary';

const LOSS_METRICS = ['loss', 'train_loss'];

interface TrainingPanelProps {
  curves: TrainingCurves;
  /** What training produced, once it ended. */
  training: TrainingResult | null;
  /** The trainer's latest numbers while it trains. */
  latestMetrics: PipelineStatus['latestMetrics'] | undefined;
}

/** Loss and validation curves per epoch, and the training result. */
export default function TrainingPanel({ curves, training, latestMetrics }: TrainingPanelProps) {
  const points = curves.points;
  return (
    <section className="panel" aria-labelledby="training-title">
      <h2 id="training-title">Training</h2>
      {points.length > 0 ? (
        <ErrorBoundary name="Loss curves" resetKeys={curves.resetKeys}>
          <div className="chart-grid">
            <MetricCurves title="Loss per epoch" points={points} metrics={LOSS_METRICS} />
            <MetricCurves
              title="Validation metrics per epoch"
              points={points.filter((p) => Number.isInteger(p.epoch))}
              metrics={[...new Set(points.flatMap((p) => Object.keys(p).filter((k) => k.startsWith('val_'))))].sort()}
            />
          </div>
        </ErrorBoundary>
      ) : curves.error ? (
        <p className="muted">Could not load the per-epoch metrics from MLflow: {curves.error}</p>
      ) : (
        <p className="muted">
          {curves.loaded
            ? 'No per-epoch metrics recorded yet; the curves appear once the first epoch ends.'
            : 'Loading per-epoch metrics…'}
        </p>
      )}
      {training && (
        <>
          <p>
            Trained {training.epochsTrained} epoch{training.epochsTrained === 1 ? '' : 's'} on {training.device}; best epoch{' '}
            {training.bestEpoch}.
            {training.resumedFromEpoch ? (
              <> An attempt was interrupted: the last one resumed from the checkpoint of epoch {training.resumedFromEpoch}.</>
            ) : null}
          </p>
          {training.onnxSha256 && (
            <p className="muted">
              Model artifact SHA-256 <code title={training.onnxSha256}>{training.onnxSha256.slice(0, 12)}…</code>, checked
              again at registration.
            </p>
          )}
          <table className="table table-compact scores">
            <caption>Validation metrics at the best epoch</caption>
            <tbody>
              {Object.entries(training.validationMetrics ?? {})
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row">{key}</th>
                    <td>{formatScore(value)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
      {!training && latestMetrics && Object.keys(latestMetrics).length > 0 && (
        <p className="muted">
          Latest: {Object.entries(latestMetrics)
            .filter(([k]) => k === 'loss' || k.startsWith('val_'))
            .map(([k, v]) => `${k} ${formatScore(v)}`)
            .join(' · ')}
        </p>
      )}
    </section>
  );
}
