import { CAN_DECIDE, hasAnyRole, useMe } from '../auth/AuthContext';
import ErrorBoundary from '../components/ErrorBoundary';
import RolloutPanel from '../components/RolloutPanel';
import EvaluationPanel from '../components/run/EvaluationPanel';
import GatePanel from '../components/run/GatePanel';
import ProgressPanel from '../components/run/ProgressPanel';
import RunHeader from '../components/run/RunHeader';
import TrainingPanel from '../components/run/TrainingPanel';
import { useRunDetail } from '../hooks/useRunDetail';
import type { PageProps } from '../routes';
import { href } from '../router';
import { LoadError, Loading } from '../components/LoadState';

/** One run: its header and actions, then one panel per part, each in its own error boundary. */
export default function RunDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const me = useMe();
  const view = useRunDetail(id);
  const { detail, run, error } = view;

  if (error && !detail) {
    return (
      <section className="page" aria-labelledby="run-title">
        <h1 id="run-title">Run {id}</h1>
        <LoadError what="the run" error={error} />
        <a href={href('/runs')}>Back to runs</a>
      </section>
    );
  }
  if (!detail || !run) {
    return (
      <section className="page" aria-labelledby="run-title">
        <h1 id="run-title">Run {id}</h1>
        <Loading what="run" />
      </section>
    );
  }

  const canCancel = view.open && (run.triggeredBy === me.username || me.roles.includes('admin'));

  return (
    <section className="page" aria-labelledby="run-title">
      <RunHeader id={id} run={run} status={view.status} links={detail.links} canCancel={canCancel} onCancelled={view.refresh} />
      {error && (
        <div className="error" role="alert">
          <p>
            <strong>Could not refresh the run.</strong> {error}
          </p>
        </div>
      )}

      <ErrorBoundary name="Live progress" resetKeys={[view.snapshot, detail]}>
        <ProgressPanel
          progress={view.progress}
          open={view.open}
          connected={view.events.connected}
          streamError={view.events.error}
          states={view.states}
          timelineResetKey={detail}
          rolloutSentence={view.note.sentence}
          reason={view.reason}
          outcome={run.outcome ?? view.status}
          failure={view.failure}
          awaitsTheirDecision={view.status === 'AWAITING_APPROVAL' && hasAnyRole(me, CAN_DECIDE)}
          note={detail.note}
        />
      </ErrorBoundary>

      <ErrorBoundary name="Training panel" resetKeys={[detail]}>
        <TrainingPanel curves={view.curves} training={view.training} latestMetrics={view.live?.latestMetrics} />
      </ErrorBoundary>

      {view.evaluation && (
        <ErrorBoundary name="Scores and WR@K charts" resetKeys={[detail]}>
          <EvaluationPanel evaluation={view.evaluation} k={view.gateK} metric={view.gateMetric} />
        </ErrorBoundary>
      )}

      {view.gate && (
        <ErrorBoundary name="Gate verdict" resetKeys={[view.gate]}>
          <GatePanel gate={view.gate} />
        </ErrorBoundary>
      )}

      {view.inRollout && (
        <ErrorBoundary name="Canary rollout panel" resetKeys={[id]}>
          <RolloutPanel runId={id} canControl={me.roles.includes('release-manager') || me.roles.includes('admin')} />
        </ErrorBoundary>
      )}
    </section>
  );
}
