import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, isAbortError } from '../api/http';
import {
  PIPELINE_STEPS,
  bySequence,
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
  type RunStatus,
  type RunStep,
  type RunSummary,
  type TrainingResult,
} from '../api/runs';
import type { EpochPoint } from '../charts/Charts';
import { stepStates, type StepState } from '../components/StepTimeline';
import { durationSeconds, formatDuration, formatPlain, formatSteps, humanize, isFiniteNumber } from '../format';
import { useRunEvents, type RunEventsState } from './useRunEvents';

/** The newest step events first. */
function newestFirst(steps: RunStep[]): RunStep[] {
  return [...steps].sort((a, b) => bySequence(b, a));
}

function stepDetail<T>(steps: RunStep[], step: string, statuses: string[]): T | null {
  const found = newestFirst(steps).find(
    (s) => s.step === step && !!s.status && statuses.includes(s.status) && s.detail && typeof s.detail === 'object',
  );
  return found ? (found.detail as T) : null;
}

/** Overall progress 0..1: finished steps plus the share of the current one. */
export function overallProgress(live: PipelineStatus | null | undefined, open: boolean): { value: number; label: string } {
  if (!open) return { value: 1, label: 'Finished' };
  if (!live) return { value: 0, label: 'Starting…' };
  const step = typeof live.step === 'string' ? live.step.toLowerCase() : '';
  const index = Math.max(0, PIPELINE_STEPS.indexOf(step as (typeof PIPELINE_STEPS)[number]));
  const within = isFiniteNumber(live.progress) ? Math.max(0, Math.min(1, live.progress)) : 0;
  const last = PIPELINE_STEPS.length - 1;
  const value = step === 'done' ? 1 : Math.min(1, (index + within) / last);
  const stepText =
    step === 'train' ? `training, ${Math.round(within * 100)} % of epochs` : step === 'await_approval' ? 'awaiting approval' : humanize(step);
  return { value, label: `Step ${index + 1} of ${PIPELINE_STEPS.length}: ${stepText}` };
}

/** The MLflow history as chart points: one per epoch (those with a number), its metrics beside the epoch number. */
export function epochPoints(metrics: RunMetrics): EpochPoint[] {
  return (metrics.epochs ?? [])
    .flatMap((e) => (isFiniteNumber(e.epoch) ? [{ epoch: e.epoch, metrics: e.metrics }] : []))
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
  status: RunStatus | null,
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

/** Refetch interval while the run is open (the stream is the fast path). */
const POLL_MS = 10_000;

/** The training curves: live samples while the stream has them, otherwise the MLflow history. */
export interface TrainingCurves {
  points: EpochPoint[];
  /** Why the MLflow history could not be loaded (only while there is nothing to show). */
  error: string | null;
  /** The MLflow history of this run has been asked for and answered (or failed). */
  loaded: boolean;
  /** Clear a failed chart when either source changes. */
  resetKeys: readonly unknown[];
}

export interface RunDetailState {
  /** The last detail fetched; null until the first answer. */
  detail: RunDetail | null;
  run: RunSummary | undefined;
  /** Why the last fetch failed ("There is no run …" for a 404). */
  error: string | null;
  events: RunEventsState;
  /** The newest of the stream's last event and the last fetched detail. */
  snapshot: RunProgress | null;
  /** The newest status: the stream's, or the fetched one; null before either says. */
  status: RunStatus | null;
  /** The workflow still runs. */
  open: boolean;
  reason: string | null;
  live: PipelineStatus | null | undefined;
  steps: RunStep[];
  /** One entry per pipeline step for the timeline. */
  states: StepState[];
  progress: { value: number; label: string };
  note: RolloutNote;
  registered: RegisteredVersion | null;
  training: TrainingResult | null;
  curves: TrainingCurves;
  evaluation: EvaluationReport | null;
  gate: GateVerdict | null;
  /** The K of the gate (or asked for), for the per-K and per-region views. */
  gateK: number;
  /** The WR@K the gate judges (GateMetric wire name; null in runs from before the choice). */
  gateMetric: string | null;
  /** The error of the latest failed step. */
  failure: string | undefined;
  /** A rollout step exists: the run is (or was) in its canary. */
  inRollout: boolean;
  /** Fetch the detail again now (after an action that changes the run). */
  refresh: () => void;
}

/**
 * Everything the run page shows: GET /api/runs/{id}, refetched whenever the event stream reports a
 * new step or status (and every POLL_MS while the run is open), the stream's live status, and the
 * per-epoch curves.
 */
export function useRunDetail(id: string): RunDetailState {
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    fetchRun(id, controller.signal).then(
      (d) => {
        if (!d?.run) {
          setError(`Unexpected response from the API: no run in the answer about ${id}.`);
          return;
        }
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

  const run = detail?.run ?? undefined;
  const fetchedOpen = run ? isOpenStatus(run.status) : false;
  const epochs = Number(detail?.parameters?.params?.epochs ?? 0);
  const events = useRunEvents(id, !!detail && fetchedOpen, epochs);

  // Without live samples (a finished run, or a page opened mid-run) the curves come from the MLflow
  // history: once per step and status, and with every detail refetch while the run may still train.
  const hasLiveSamples = events.history.length > 0;
  const [stored, setStored] = useState<{ runId: string; points: EpochPoint[] | null; error: string | null } | null>(null);
  const mayTrain = fetchedOpen && (!run?.currentStep || run.currentStep === 'extract' || run.currentStep === 'train');
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
    if (!fetchedOpen) return;
    const timer = setInterval(() => setReload((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [fetchedOpen]);

  const [snapshot, setSnapshot] = useState<RunProgress | null>(null);
  useEffect(() => {
    const fetched = detail?.run;
    if (fetched) {
      setSnapshot({
        runId: fetched.id,
        status: fetched.status,
        currentStep: fetched.currentStep,
        outcome: fetched.outcome,
        reason: fetched.reason,
        open: isOpenStatus(fetched.status),
        live: detail.live,
      });
    }
  }, [detail]);
  useEffect(() => {
    if (events.progress) setSnapshot(events.progress);
  }, [events.progress]);

  const steps = useMemo(() => detail?.steps ?? [], [detail]);
  const live = snapshot?.live ?? detail?.live;
  const status = snapshot?.status ?? run?.status ?? null;
  const open = snapshot?.open ?? fetchedOpen;
  const currentStep = snapshot?.currentStep ?? run?.currentStep ?? null;
  const inRollout = steps.some((s) => s.step === 'rollout');
  const registered: RegisteredVersion | null =
    live?.registered ?? detail?.result?.registered ?? stepDetail<RegisteredVersion>(steps, 'register', ['completed']) ?? null;
  const note = rolloutNote(
    detail?.parameters ?? null,
    status,
    open,
    inRollout,
    typeof registered?.version === 'string' ? registered.version : null,
  );
  const states = useMemo(() => {
    const base = stepStates(steps, currentStep, open);
    return note.stepText
      ? base.map((s): StepState => (s.step === 'rollout' ? { ...s, text: note.stepText ?? undefined } : s))
      : base;
  }, [steps, currentStep, open, note.stepText]);

  const evaluation =
    detail?.result?.evaluation ?? stepDetail<EvaluationReport>(steps, 'evaluate', ['completed']) ?? null;
  const gate: GateVerdict | null =
    live?.gate ?? detail?.result?.gate ?? stepDetail<GateVerdict>(steps, 'gate', ['completed', 'failed']) ?? null;
  const training = detail?.result?.training ?? stepDetail<TrainingResult>(steps, 'train', ['completed']) ?? null;
  const failure = newestFirst(steps)
    .map((s) => (s.status === 'failed' ? (s.detail as { error?: unknown } | null)?.error : undefined))
    .find((e): e is string => typeof e === 'string');

  return {
    detail,
    run,
    error,
    events,
    snapshot,
    status,
    open,
    reason: snapshot?.reason ?? run?.reason ?? null,
    live,
    steps,
    states,
    progress: overallProgress(live, open),
    note,
    registered,
    training,
    curves: {
      points: hasLiveSamples ? events.history : storedPoints,
      error: !hasLiveSamples && stored?.runId === id && stored.points === null ? stored.error : null,
      loaded: stored?.runId === id,
      resetKeys: [events.history, stored],
    },
    evaluation,
    gate,
    gateK: gate?.k ?? Number(detail?.parameters?.gate?.k ?? 10),
    gateMetric: gate?.metric ?? detail?.parameters?.gate?.metric ?? null,
    failure,
    inRollout,
    refresh,
  };
}
