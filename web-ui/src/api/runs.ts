import { requestJson } from './http';

/**
 * Type hints only: the lists a form offers come from GET /api/runs/defaults (RunDefaults), the one
 * place the platform's defaults live.
 */
export const MODEL_FAMILIES = ['shared_bottom', 'mmoe', 'ple', 'esmm', 'resflow', 'seq_md'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number] | (string & {});

/** The buyer regions of the synthetic world (services/trainer rankops_trainer/data/synthetic.py); a type hint. */
export const REGIONS = ['US', 'NL', 'ES', 'FR'] as const;

/** The canary that follows approval (RunRequest.Rollout; defaults in RunDefaults.rollout). */
export interface RolloutRequest {
  bakeSeconds: number;
  /** Candidate traffic per step, each in (0, 100]; the server sorts them and ends at 100. */
  stepsPercent: number[];
  minUsersPerArm: number;
}

/** GET /api/runs/defaults: what a run gets for every field it leaves out, and the allowed choices. */
export interface RunDefaults {
  modelName: string;
  /** Not in the answer today (a run request must name its family); the form takes the first of modelFamilies then. */
  modelFamily?: string;
  modelFamilies: string[];
  regions: string[];
  tasks: string[];
  devices: string[];
  regionMask: boolean;
  device: string;
  approvalTimeoutHours: number;
  window: { minDays: number; maxDays: number };
  params: { epochs: number; batchSize: number; learningRate: number; embeddingDim: number; patience: number; seed: number };
  gate: { k: number; minWeightedRecall: number; maxRegression: number };
  rollout: RolloutRequest;
}

export function fetchRunDefaults(signal?: AbortSignal): Promise<RunDefaults> {
  return requestJson<RunDefaults>('/api/runs/defaults', { signal, timeoutMs: 15_000 });
}

/** The run row's status (V4__pipeline_run.sql). */
export const RUN_STATUSES = [
  'RUNNING',
  'AWAITING_APPROVAL',
  'APPROVED',
  'PROMOTED',
  'ROLLED_BACK',
  'REJECTED',
  'APPROVAL_EXPIRED',
  'GATE_FAILED',
  'CANCELLED',
  'FAILED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number] | (string & {});

export const TRIGGERS = ['ui', 'schedule', 'api'] as const;

/** The pipeline's steps in order (workflows PipelineStep, lower-cased as in run_step_event). */
export const PIPELINE_STEPS = ['extract', 'train', 'evaluate', 'gate', 'register', 'await_approval', 'rollout', 'done'] as const;
export type PipelineStepName = (typeof PIPELINE_STEPS)[number];

/** RunViews.RunSummary */
export interface RunSummary {
  id: string;
  modelName: string;
  modelFamily: string;
  windowStart: string;
  windowEnd: string;
  triggeredBy: string;
  trigger: string;
  status: RunStatus;
  currentStep: string | null;
  outcome: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

/** RunViews.Step: one row of the run_step_event projection. */
export interface RunStep {
  sequence: number;
  step: string;
  status: string;
  detail: unknown;
  occurredAt: string;
}

export interface GateVerdict {
  passed: boolean;
  k: number;
  candidateWeightedRecall: number;
  championWeightedRecall: number | null;
  failures: string[];
  passedChecks: string[];
}

export interface RegisteredVersion {
  modelName: string;
  version: string;
  /** null since registration sets no serving alias (the version awaits approval) */
  alias: string | null;
  source: string;
}

export interface ApprovalDecision {
  approver: string;
  approved: boolean;
  comment: string | null;
}

/** Offline scores; maps keyed by K use its decimal string ("10"). */
export interface ModelScores {
  weightedRecallAtK: Record<string, number>;
  auc: Record<string, number>;
  regionWeightedRecallAtK: Record<string, Record<string, number>> | null;
}

export interface EvaluationReport {
  reportUri: string;
  candidate: ModelScores;
  champion: ModelScores | null;
  fusion: string;
  deadTasks: string[] | null;
}

export interface TrainingResult {
  runId: string;
  mlflowRunId: string;
  onnxUri: string;
  device: string;
  epochsTrained: number;
  bestEpoch: number;
  validationMetrics: Record<string, number>;
  /** The checkpointed epoch a retried attempt resumed from; 0 (or absent, older runs) = from scratch. */
  resumedFromEpoch?: number;
  /** SHA-256 of the exported ONNX file; registration refuses an artifact that no longer matches. */
  onnxSha256?: string | null;
}

export interface DatasetManifest {
  datasetId: string;
  uri: string;
  rowCounts: Record<string, number>;
}

/** Workflow status query (PipelineStatus); `step` is upper-case here. */
export interface PipelineStatus {
  runId: string | null;
  step: string;
  progress: number;
  latestMetrics: Record<string, number>;
  gate: GateVerdict | null;
  registered: RegisteredVersion | null;
  decision: ApprovalDecision | null;
  approvalDeadlineMillis: number | null;
  outcome: string | null;
}

export interface PipelineResult {
  runId: string;
  outcome: string;
  reason: string | null;
  dataset: DatasetManifest | null;
  training: TrainingResult | null;
  evaluation: EvaluationReport | null;
  gate: GateVerdict | null;
  registered: RegisteredVersion | null;
  decision: ApprovalDecision | null;
}

/** RunViews.RunDetail */
export interface RunDetail {
  run: RunSummary;
  parameters: RunParameters | null;
  steps: RunStep[];
  live?: PipelineStatus;
  result?: PipelineResult;
  links: { temporal?: string; mlflow?: string };
  note?: string;
}

/** The stored workflow input, as far as the UI reads it. */
export interface RunParameters {
  params?: { epochs?: number; batchSize?: number; learningRate?: number; embeddingDim?: number; patience?: number; seed?: number };
  gate?: { k?: number; minWeightedRecall?: number; maxRegression?: number; regionFloors?: Record<string, number> };
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
export interface RunProgress {
  runId: string;
  status: RunStatus;
  currentStep: string | null;
  outcome: string | null;
  reason: string | null;
  open: boolean;
  live?: PipelineStatus;
}

/** Body of POST /api/runs (RunRequest). */
export interface RunRequest {
  modelName?: string;
  modelFamily: string;
  regionMask?: boolean;
  window: { start: string; end: string };
  regions?: string[];
  params?: {
    epochs?: number;
    batchSize?: number;
    learningRate?: number;
    embeddingDim?: number;
    patience?: number;
    seed?: number;
    taskLossWeights?: Record<string, number>;
  };
  gate?: { k?: number; minWeightedRecall?: number; maxRegression?: number; regionFloors?: Record<string, number> };
  device?: 'auto' | 'cpu' | 'gpu' | (string & {});
  approvalTimeoutHours?: number;
  trigger?: 'ui' | 'api';
  /** The canary after approval; left out, approval makes the version champion at once. */
  rollout?: { bakeSeconds: number; stepsPercent?: number[]; minUsersPerArm?: number };
}

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

export function listRuns(filters: RunFilters, signal?: AbortSignal): Promise<Page<RunSummary>> {
  return requestJson<Page<RunSummary>>(`/api/runs?${runsQuery(filters)}`, { signal, timeoutMs: 15_000 });
}

export function fetchRun(id: string, signal?: AbortSignal): Promise<RunDetail> {
  return requestJson<RunDetail>(`/api/runs/${encodeURIComponent(id)}`, { signal, timeoutMs: 15_000 });
}

/** RunMetrics.Epoch: what the trainer logged to MLflow at the end of one epoch (step = epoch). */
export interface RunMetricsEpoch {
  epoch: number;
  metrics: Record<string, number>;
}

/** RunMetrics.History: GET /api/runs/{id}/metrics; no epochs (mlflowRunId null) before training. */
export interface RunMetrics {
  mlflowRunId: string | null;
  epochs: RunMetricsEpoch[];
}

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
export function isOpenStatus(status: string): boolean {
  return status === 'RUNNING' || status === 'AWAITING_APPROVAL';
}
