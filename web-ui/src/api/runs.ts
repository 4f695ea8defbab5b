import { requestJson } from './http';
import { pipelineStepValues, runStatusValues, type components } from './schema';

type Schemas = components['schemas'];

/**
 * Type hints only: the lists a form offers come from GET /api/runs/defaults (RunDefaults), the one
 * place the platform's defaults live.
 */
export const MODEL_FAMILIES = ['shared_bottom', 'mmoe', 'ple', 'esmm', 'resflow', 'seq_md'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number] | (string & {});

/**
 * The canary that follows approval (RunRequest.Rollout; defaults in RunDefaultsView.rollout):
 * candidate traffic per step, each in (0, 100] (the server sorts them and ends at 100).
 */
export type RolloutRequest = Schemas['Rollout'];

/**
 * GET /api/runs/defaults: what a run gets for every field it leaves out, and the allowed choices.
 * modelFamily is not in the answer today (a run request must name its family): the form takes the
 * first of modelFamilies then, and the family named here once the API names one.
 */
export type RunDefaults = Schemas['RunDefaultsView'] & { modelFamily?: string | null };

export function fetchRunDefaults(signal?: AbortSignal): Promise<RunDefaults> {
  return requestJson<RunDefaults>('/api/runs/defaults', { signal, timeoutMs: 15_000 });
}

/** A run's status (services/api runs/RunStatus), in the API's order; the runs filter offers these. */
export type RunStatus = Schemas['RunStatus'];
export const RUN_STATUSES: readonly RunStatus[] = runStatusValues;

export const TRIGGERS = ['ui', 'schedule', 'api'] as const;

/** The pipeline's steps in order (workflows PipelineStep), lower-cased as in run_step_event. */
export type PipelineStepName = Lowercase<Schemas['PipelineStep']>;
export const PIPELINE_STEPS: readonly PipelineStepName[] = pipelineStepValues.map((s) => s.toLowerCase() as PipelineStepName);

/** RunViews.RunSummary */
export type RunSummary = Schemas['RunSummary'];

/** GET /api/runs: one page of runs (RunViews.Page). */
export type RunPage = Schemas['PageRunSummary'];

/** RunViews.Step: one row of the run_step_event projection; `detail` is the event's JSON. */
export type RunStep = Schemas['Step'];

/** Orders step events as they happened (an event without a sequence first). */
export function bySequence(a: RunStep, b: RunStep): number {
  return (a.sequence ?? 0) - (b.sequence ?? 0);
}

export type GateVerdict = Schemas['GateVerdict'];
/** alias is null since registration sets no serving alias (the version awaits approval). */
export type RegisteredVersion = Schemas['RegisteredVersion'];
export type ApprovalDecision = Schemas['ApprovalDecision'];
/** Offline scores; maps keyed by K use its decimal string ("10"). */
export type ModelScores = Schemas['ModelScores'];
export type EvaluationReport = Schemas['EvaluationReport'];
/**
 * resumedFromEpoch: the checkpointed epoch a retried attempt resumed from (0 or absent = from scratch);
 * onnxSha256: of the exported ONNX file; registration refuses an artifact that no longer matches.
 */
export type TrainingResult = Schemas['TrainingResult'];
export type DatasetManifest = Schemas['DatasetManifest'];
/** Workflow status query (PipelineStatus); `step` is upper-case here. */
export type PipelineStatus = Schemas['PipelineStatus'];
export type PipelineResult = Schemas['PipelineResult'];

/**
 * RunViews.RunDetail. The document has `parameters` as any JSON (the stored workflow input); the UI
 * reads it as RunParameters, every key of which may be missing.
 */
export type RunDetail = Omit<Schemas['RunDetail'], 'parameters'> & { parameters?: RunParameters | null };

/** The stored workflow input, as far as the UI reads it. */
export interface RunParameters {
  params?: { epochs?: number; batchSize?: number; learningRate?: number; embeddingDim?: number; patience?: number; seed?: number };
  gate?: { k?: number; minWeightedRecall?: number; maxRegression?: number; regionFloors?: Record<string, number>; metric?: string | null };
  regions?: string[];
  regionMask?: boolean;
  device?: string;
  /**
   * The canary after approval (workflows RolloutPolicy); null when none was asked for: approval then
   * makes the version champion at once. `bake` is the Java Duration as the API writes it (ISO-8601
   * "PT15M", or seconds).
   */
  rollout?: { stepsPercent: number[]; bake: string; minUsersPerArm: number } | null;
  [key: string]: unknown;
}

/** RunViews.RunProgress: one server-sent event of GET /api/runs/{id}/events. */
export type RunProgress = Schemas['RunProgress'];

/** Body of POST /api/runs (RunRequest). */
export type RunRequest = Schemas['RunRequest'];

export interface RunFilters {
  status?: string;
  modelFamily?: string;
  trigger?: string;
  triggeredBy?: string;
  page?: number;
  size?: number;
}

export function runsQuery(filters: RunFilters): string {
  const query = new URLSearchParams();
  for (const key of ['status', 'modelFamily', 'triggeredBy', 'trigger'] as const) {
    const value = filters[key];
    if (value) query.set(key, value);
  }
  query.set('page', String(filters.page ?? 0));
  query.set('size', String(filters.size ?? 20));
  return query.toString();
}

export function listRuns(filters: RunFilters, signal?: AbortSignal): Promise<RunPage> {
  return requestJson<RunPage>(`/api/runs?${runsQuery(filters)}`, { signal, timeoutMs: 15_000 });
}

export function fetchRun(id: string, signal?: AbortSignal): Promise<RunDetail> {
  return requestJson<RunDetail>(`/api/runs/${encodeURIComponent(id)}`, { signal, timeoutMs: 15_000 });
}

/** RunMetrics.Epoch: what the trainer logged to MLflow at the end of one epoch (step = epoch). */
export type RunMetricsEpoch = Schemas['Epoch'];

/** RunMetrics.History: GET /api/runs/{id}/metrics; no epochs (mlflowRunId null) before training. */
export type RunMetrics = Schemas['History'];

export function fetchRunMetrics(id: string, signal?: AbortSignal): Promise<RunMetrics> {
  return requestJson<RunMetrics>(`/api/runs/${encodeURIComponent(id)}/metrics`, { signal, timeoutMs: 15_000 });
}

export function startRun(body: RunRequest): Promise<RunSummary> {
  return requestJson<RunSummary>('/api/runs', { method: 'POST', body, timeoutMs: 30_000 });
}

export function cancelRun(id: string): Promise<{ runId: string; status: string }> {
  return requestJson(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST', timeoutMs: 30_000 });
}

export function decideRun(id: string, approved: boolean, comment: string): Promise<PipelineStatus> {
  return requestJson<PipelineStatus>(`/api/runs/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    body: { approved, comment: comment.trim() ? comment.trim() : null },
    timeoutMs: 30_000,
  });
}

export function runEventsUrl(id: string): string {
  return `/api/runs/${encodeURIComponent(id)}/events`;
}

/** A run is open (the workflow still runs) while RUNNING or AWAITING_APPROVAL. */
export function isOpenStatus(status: string | null | undefined): boolean {
  return status === 'RUNNING' || status === 'AWAITING_APPROVAL';
}
