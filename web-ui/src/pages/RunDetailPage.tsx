import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, isAbortError } from '../api/http';
import {
  PIPELINE_STEPS,
  cancelRun,
  fetchRun,
  fetchRunMetrics,
  isOpenStatus,
  type EvaluationReport,
  type GateVerdict,
  type PipelineStatus,
  type RegisteredVersion,
  type RunDetail,
  type RunMetrics,
  type RunProgress,
  type RunStep,
  type TrainingResult,
} from '../api/runs';
import { CAN_DECIDE, hasAnyRole, useMe } from '../auth/AuthContext';
import { MetricCurves, RegionBars, WrAtKChart, type EpochPoint } from '../charts/Charts';
import ErrorBoundary from '../components/ErrorBoundary';
import GateVerdictView from '../components/GateVerdictView';
import RunStatusBadge from '../components/RunStatusBadge';
import ScoresTable from '../components/ScoresTable';
import RolloutPanel from '../components/RolloutPanel';
import StepTimeline, { stepStates, type StepState } from '../components/StepTimeline';
import { durationSeconds, formatDuration, formatLocalDateTime, formatPlain, formatScore, formatSteps, humanize } from '../format';
import { useRunEvents } from '../hooks/useRunEvents';
import type { PageProps } from '../routes';
import { href } from '../router';

function stepDetail<T>(steps: RunStep[], step: string, statuses: string[]): T | null {
  const found = [...steps]
    .sort((a, b) => b.sequence - a.sequence)
    .find((s) => s.step === step && statuses.includes(s.status) && s.detail && typeof s.detail === 'object');
  return found ? (found.detail as T) : null;
}

/** Overall progress 0..1: finished steps plus the share of the current one. */
export function overallProgress(live: PipelineStatus | undefined, open: boolean): { value: number; label: string } {
  if (!open) return { value: 1, label: 'Finished' };
  if (!live) return { value: 0, label: 'Starting…' };
  const step = typeof live.step === 'string' ? live.step.toLowerCase() : '';
  const index = Math.max(0, PIPELINE_STEPS.indexOf(step as (typeof PIPELINE_STEPS)[number]));
  const within = Number.isFinite(live.progress) ? Math.max(0, Math.min(1, live.progress)) : 0;
  const last = PIPELINE_STEPS.length - 1;
  const value = step === 'done' ? 1 : Math.min(1, (index + within) / last);
  const stepText =
    step === 'train' ? `training, ${Math.round(within * 100)} % of epochs` : step === 'await_approval' ? 'awaiting approval' : humanize(step);
  return { value, label: `Step ${index + 1} of ${PIPELINE_STEPS.length}: ${stepText}` };
}

/** The MLflow history as chart points: one per epoch, its metrics beside the epoch number. */
export function epochPoints(metrics: RunMetrics): EpochPoint[] {
  return metrics.epochs
    .map((e) => {
      const point: EpochPoint = { epoch: e.epoch };
      for (const [key, value] of Object.entries(e.metrics ?? {})) {
        if (key !== 'epoch' && typeof value === 'number' && Number.isFinite(value)) point[key] = value;
      }
      return point;
    })
    .sort((a, b) => a.epoch - b.epoch);
}

/** What the run does after approval, and (once decided) what approval did. */
export interface RolloutNote {
  /** The rollout step's text in the timeline, when it differs from its status. */
  stepText: string | null;
  /** One sentence for the progress panel; null when there is nothing to say. */
  sentence: string | null;
}

/**
 * parameters.rollout is the canary asked for; null means none: approval makes the version champion
 * at once. A missing key (runs stored before it existed) says nothing.
 */
export function rolloutNote(
  parameters: RunDetail['parameters'],
  status: string,
  open: boolean,
  hasRolloutSteps: boolean,
  version: string | null,
): RolloutNote {
  const plan = parameters?.rollout;
  if (hasRolloutSteps) return { stepText: null, sentence: null };
  if (plan && typeof plan === 'object') {
    if (!open) return { stepText: null, sentence: null };
    const bake = durationSeconds(plan.bake);
    const users = formatPlain(plan.minUsersPerArm, 0);
    return {
      stepText: null,
      sentence:
        `After approval a canary starts: ${formatSteps(plan.stepsPercent)} of buyers` +
        `${bake === null ? '' : `, ${formatDuration(bake)} bakes`}` +
        `${users === '–' ? '' : `, at least ${users} users per arm`}.`,
    };
  }
  if (plan !== null || !parameters) return { stepText: null, sentence: null };
  const v = version ? `v${version}` : 'the version';
  if (status === 'APPROVED' || status === 'PROMOTED') {
    return { stepText: 'none: champion at approval', sentence: `No canary was asked for: approval made ${v} champion at once.` };
  }
  if (open) {
    return { stepText: 'not requested', sentence: `No canary requested: approval makes ${v} champion at once.` };
  }
  return { stepText: null, sentence: null };
}

const LOSS_METRICS = ['loss', 'train_loss'];
/** Refetch interval while the run is open (the stream is the fast path). */
const POLL_MS = 10_000;

export default function RunDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const me = useMe();
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [cancelState, setCancelState] = useState<{ busy: boolean; message: string | null; error: string | null }>({
    busy: false,
    message: null,
    error: null,
  });

  useEffect(() => {
    const controller = new AbortController();
    fetchRun(id, controller.signal).then(
      (d) => {
        setDetail(d);
        setError(null);
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setError(
          err instanceof ApiError && err.status === 404
            ? `There is no run ${id}.`
            : err instanceof Error
              ? err.message
              : String(err),
        );
      },
    );
    return () => controller.abort();
  }, [id, reload]);

  const run = detail?.run;
  const open = run ? isOpenStatus(run.status) : false;
  const epochs = Number(detail?.parameters?.params?.epochs ?? 0);
  const events = useRunEvents(id, !!detail && open, epochs);

  // Without live samples (a finished run, or a page opened mid-run) the curves come from the MLflow
  // history: once per step and status, and with every detail refetch while the run may still train.
  const hasLiveSamples = events.history.length > 0;
  const [stored, setStored] = useState<{ runId: string; points: EpochPoint[] | null; error: string | null } | null>(null);
  const mayTrain = open && (!run?.currentStep || run.currentStep === 'extract' || run.currentStep === 'train');
  const metricsKey = run ? `${run.id}|${run.status}|${run.currentStep}|${mayTrain ? reload : ''}` : null;
  useEffect(() => {
    if (metricsKey === null || hasLiveSamples) return;
    const controller = new AbortController();
    fetchRunMetrics(id, controller.signal).then(
      (m) => setStored({ runId: id, points: epochPoints(m), error: null }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        setStored((s) => ({
          runId: id,
          points: s?.runId === id ? s.points : null,
          error: err instanceof Error ? err.message : String(err),
        }));
      },
    );
    return () => controller.abort();
  }, [id, metricsKey, hasLiveSamples]);
  const storedPoints = stored?.runId === id ? (stored.points ?? []) : [];
  const curvePoints = hasLiveSamples ? events.history : storedPoints;
  const curveError = !hasLiveSamples && stored?.runId === id && stored.points === null ? stored.error : null;

  // Refetch the detail (steps, result) whenever the stream reports a new step or status.
  const lastKey = useRef<string | null>(null);
  useEffect(() => {
    const p = events.progress;
    if (!p || !run) return;
    const key = `${p.status}|${p.currentStep}|${p.open}`;
    if (lastKey.current === null) {
      lastKey.current = `${run.status}|${run.currentStep}|${isOpenStatus(run.status)}`;
    }
    if (key !== lastKey.current) {
      lastKey.current = key;
      setReload((n) => n + 1);
    }
  }, [events.progress, run]);

  // Fallback while open: refetch now and then, in case the stream is slow or blocked by a proxy.
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => setReload((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [open]);

  // The newest of the stream's last event and the last fetched detail.
  const [snapshot, setSnapshot] = useState<RunProgress | null>(null);
  useEffect(() => {
    if (detail) {
      setSnapshot({
        runId: detail.run.id,
        status: detail.run.status,
        currentStep: detail.run.currentStep,
        outcome: detail.run.outcome,
        reason: detail.run.reason,
        open: isOpenStatus(detail.run.status),
        live: detail.live,
      });
    }
  }, [detail]);
  useEffect(() => {
    if (events.progress) setSnapshot(events.progress);
  }, [events.progress]);

  const doCancel = useCallback(async () => {
    setCancelState({ busy: true, message: null, error: null });
    try {
      await cancelRun(id);
      setCancelState({ busy: false, message: 'Cancellation requested; the run stops at its next step boundary.', error: null });
      setConfirming(false);
      setReload((n) => n + 1);
    } catch (err) {
      setCancelState({ busy: false, message: null, error: err instanceof Error ? err.message : String(err) });
    }
  }, [id]);

  const steps = useMemo(() => detail?.steps ?? [], [detail]);
  const live = snapshot?.live ?? detail?.live;
  const status = snapshot?.status ?? run?.status ?? '';
  const stillOpen = snapshot ? snapshot.open : open;
  const currentStep = snapshot?.currentStep ?? run?.currentStep ?? null;
  const registered: RegisteredVersion | null =
    live?.registered ?? detail?.result?.registered ?? stepDetail<RegisteredVersion>(steps, 'register', ['completed']) ?? null;
  const note = rolloutNote(
    detail?.parameters ?? null,
    status,
    stillOpen,
    steps.some((s) => s.step === 'rollout'),
    typeof registered?.version === 'string' ? registered.version : null,
  );
  const states = useMemo(() => {
    const base = stepStates(steps, currentStep, stillOpen);
    return note.stepText
      ? base.map((s): StepState => (s.step === 'rollout' ? { ...s, text: note.stepText ?? undefined } : s))
      : base;
  }, [steps, currentStep, stillOpen, note.stepText]);
  const bar = overallProgress(live, stillOpen);

  const evaluation =
    detail?.result?.evaluation ?? stepDetail<EvaluationReport>(steps, 'evaluate', ['completed']) ?? null;
  const gate: GateVerdict | null =
    live?.gate ?? detail?.result?.gate ?? stepDetail<GateVerdict>(steps, 'gate', ['completed', 'failed']) ?? null;
  const training = detail?.result?.training ?? stepDetail<TrainingResult>(steps, 'train', ['completed']) ?? null;
  const gateK = gate?.k ?? Number(detail?.parameters?.gate?.k ?? 10);
  const failure = [...steps]
    .sort((a, b) => b.sequence - a.sequence)
    .map((s) => (s.status === 'failed' ? (s.detail as { error?: unknown } | null)?.error : undefined))
    .find((e): e is string => typeof e === 'string');
  const canCancel = !!run && stillOpen && (run.triggeredBy === me.username || me.roles.includes('admin'));

  if (error && !detail) {
    return (
      <section className="page" aria-labelledby="run-title">
        <h1 id="run-title">Run {id}</h1>
        <div className="error" role="alert">
          <p>
            <strong>Could not load the run.</strong> {error}
          </p>
        </div>
        <a href={href('/runs')}>Back to runs</a>
      </section>
    );
  }
  if (!detail || !run) {
    return (
      <section className="page" aria-labelledby="run-title">
        <h1 id="run-title">Run {id}</h1>
        <p className="loading" role="status">
          Loading run…
        </p>
      </section>
    );
  }

  const reason = snapshot?.reason ?? run.reason;

  return (
    <section className="page" aria-labelledby="run-title">
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
            {run.triggeredBy} · created <time dateTime={run.createdAt}>{formatLocalDateTime(run.createdAt)}</time>
          </p>
        </div>
        <div className="page-actions">
          {detail.links.mlflow && (
            <a className="button button-secondary" href={detail.links.mlflow} target="_blank" rel="noopener noreferrer">
              MLflow run<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          )}
          {detail.links.temporal && (
            <a className="button button-secondary" href={detail.links.temporal} target="_blank" rel="noopener noreferrer">
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
      {error && (
        <div className="error" role="alert">
          <p>
            <strong>Could not refresh the run.</strong> {error}
          </p>
        </div>
      )}

      <ErrorBoundary name="Live progress" resetKeys={[snapshot, detail]}>
        <section className="panel" aria-labelledby="progress-title">
          <h2 id="progress-title">Progress</h2>
          <div
            className="progress"
            role="progressbar"
            aria-label="Run progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(bar.value * 100)}
            aria-valuetext={`${Math.round(bar.value * 100)} %, ${bar.label}`}
          >
            <div className={`progress-fill${stillOpen ? ' progress-live' : ''}`} style={{ width: `${bar.value * 100}%` }} />
          </div>
          <p className="progress-label">
            <span>{bar.label}</span>
            <span className="muted">
              {stillOpen ? (events.connected ? 'live' : 'connecting…') : reason ? humanize(run.outcome ?? status) : ''}
            </span>
          </p>
          {events.error && <p className="muted">{events.error}</p>}
          <ErrorBoundary name="Step timeline" resetKeys={[detail]}>
            <StepTimeline states={states} />
          </ErrorBoundary>
          {note.sentence && <p className="muted">{note.sentence}</p>}
          {reason && !stillOpen && (
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
          {status === 'AWAITING_APPROVAL' && hasAnyRole(me, CAN_DECIDE) && (
            <p className="notice">
              This run waits for a decision: <a href={href('/approvals')}>open the approvals inbox</a>.
            </p>
          )}
          {detail.note && <p className="muted">{detail.note}</p>}
        </section>
      </ErrorBoundary>

      <ErrorBoundary name="Training panel" resetKeys={[detail]}>
        <section className="panel" aria-labelledby="training-title">
          <h2 id="training-title">Training</h2>
          {curvePoints.length > 0 ? (
            <ErrorBoundary name="Loss curves" resetKeys={[events.history, stored]}>
              <div className="chart-grid">
                <MetricCurves title="Loss per epoch" points={curvePoints} metrics={LOSS_METRICS} />
                <MetricCurves
                  title="Validation metrics per epoch"
                  points={curvePoints.filter((p) => Number.isInteger(p.epoch))}
                  metrics={[
                    ...new Set(curvePoints.flatMap((p) => Object.keys(p).filter((k) => k.startsWith('val_')))),
                  ].sort()}
                />
              </div>
            </ErrorBoundary>
          ) : curveError ? (
            <p className="muted">Could not load the per-epoch metrics from MLflow: {curveError}</p>
          ) : (
            <p className="muted">
              {stored?.runId === id
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
                  {Object.entries(training.validationMetrics)
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
          {!training && live?.latestMetrics && Object.keys(live.latestMetrics).length > 0 && (
            <p className="muted">
              Latest: {Object.entries(live.latestMetrics)
                .filter(([k]) => k === 'loss' || k.startsWith('val_'))
                .map(([k, v]) => `${k} ${formatScore(v)}`)
                .join(' · ')}
            </p>
          )}
        </section>
      </ErrorBoundary>

      {evaluation && (
        <ErrorBoundary name="Scores and WR@K charts" resetKeys={[detail]}>
          <section className="panel" aria-labelledby="evaluation-title">
            <h2 id="evaluation-title">Evaluation</h2>
            <p className="muted">
              Test split; score fusion {evaluation.fusion}
              {evaluation.deadTasks && evaluation.deadTasks.length > 0 ? ` · dead tasks: ${evaluation.deadTasks.join(', ')}` : ''}.
            </p>
            <div className="chart-grid">
              <WrAtKChart candidate={evaluation.candidate} champion={evaluation.champion} />
              <RegionBars k={gateK} candidate={evaluation.candidate} champion={evaluation.champion} />
            </div>
            <ScoresTable
              candidate={evaluation.candidate}
              champion={evaluation.champion}
              k={gateK}
              caption="Candidate vs champion"
            />
          </section>
        </ErrorBoundary>
      )}

      {gate && (
        <ErrorBoundary name="Gate verdict" resetKeys={[gate]}>
          <section className="panel" aria-labelledby="gate-title">
            <h2 id="gate-title">Gate verdict</h2>
            <GateVerdictView gate={gate} />
          </section>
        </ErrorBoundary>
      )}

      {steps.some((s) => s.step === 'rollout') && (
        <ErrorBoundary name="Canary rollout panel" resetKeys={[run.id]}>
          <RolloutPanel
            runId={run.id}
            canControl={me.roles.includes('release-manager') || me.roles.includes('admin')}
          />
        </ErrorBoundary>
      )}
    </section>
  );
}
