import type { ApprovalPlan, PendingApproval } from '../api/approvals';
import type { RolloutStatus } from '../api/rollouts';
import type { RunDefaults, RunDetail, RunMetrics, RunProgress, RunStep, RunSummary } from '../api/runs';

/** GET /api/runs/defaults, exactly as the API answers it. */
export const RUN_DEFAULTS: RunDefaults = {
  modelName: 'rankops-ranker',
  modelFamilies: ['shared_bottom', 'mmoe', 'ple', 'esmm', 'resflow', 'seq_md'],
  regions: ['US', 'NL', 'ES', 'FR'],
  tasks: ['click', 'cart', 'purchase'],
  devices: ['auto', 'cpu', 'gpu'],
  regionMask: false,
  device: 'auto',
  approvalTimeoutHours: 72,
  window: { minDays: 3, maxDays: 90 },
  params: { epochs: 5, batchSize: 512, learningRate: 0.001, embeddingDim: 16, patience: 2, seed: 42 },
  gate: { k: 10, minWeightedRecall: 0.1, maxRegression: 0.02, metric: 'displayed_wr', metrics: ['displayed_wr', 'prerank_wr'] },
  rollout: { bakeSeconds: 900, stepsPercent: [5.0, 25.0, 50.0, 100.0], minUsersPerArm: 200 },
};

/** A run's summary with its id, as every fixture has one. */
type SummaryFixture = RunSummary & { id: string };

/**
 * A run's detail with what these fixtures always have (a run with an id, steps, links), still checked
 * against the API's RunDetail.
 */
type DetailFixture = RunDetail & { run: SummaryFixture; steps: RunStep[]; links: NonNullable<RunDetail['links']> };

/** Shapes as the running API answers them (captured from GET /api/runs/{id}). */
export const RUN_SUMMARY: SummaryFixture = {
  id: 'run-1967f566ffc6',
  modelName: 'rankops-ranker',
  modelFamily: 'resflow',
  windowStart: '2026-11-01',
  windowEnd: '2026-11-07',
  triggeredBy: 'erin',
  trigger: 'ui',
  status: 'RUNNING',
  currentStep: 'train',
  outcome: null,
  reason: null,
  createdAt: '2026-11-23T12:45:38.278389Z',
  updatedAt: '2026-11-23T12:45:42.672262Z',
};

export const CANDIDATE = {
  auc: { cart: 0.696, click: 0.679, purchase: 0.703 },
  weightedRecallAtK: { '5': 0.697, '10': 0.9697, '20': 1.0 },
  regionWeightedRecallAtK: {
    ES: { '5': 0.571, '10': 0.964, '20': 1.0 },
    FR: { '5': 0.833, '10': 1.0, '20': 1.0 },
    NL: { '5': 0.789, '10': 1.0, '20': 1.0 },
    US: { '5': 0.714, '10': 0.857, '20': 1.0 },
  },
};

export const CHAMPION = {
  auc: { cart: 0.68, click: 0.67, purchase: 0.69 },
  weightedRecallAtK: { '5': 0.65, '10': 0.95, '20': 1.0 },
  regionWeightedRecallAtK: {
    ES: { '5': 0.5, '10': 0.9, '20': 1.0 },
    FR: { '5': 0.8, '10': 1.0, '20': 1.0 },
    NL: { '5': 0.75, '10': 0.95, '20': 1.0 },
    US: { '5': 0.7, '10': 0.9, '20': 1.0 },
  },
};

export const GATE_PASSED = {
  passed: true,
  k: 10,
  candidateWeightedRecall: 0.9697,
  championWeightedRecall: null,
  failures: [],
  passedChecks: ['WR@10 0.9697 meets the minimum 0.5000', 'no champion yet: nothing to regress against'],
};

const step = (sequence: number, name: string, status: string, detail: unknown): RunStep => ({
  sequence,
  step: name,
  status,
  detail,
  occurredAt: `2026-11-23T12:45:${String(38 + sequence).padStart(2, '0')}.000Z`,
});

export const TRAINING_STEPS: RunStep[] = [
  step(1, 'extract', 'started', { window: { start: '2026-11-01', end: '2026-11-07' } }),
  step(2, 'extract', 'completed', { datasetId: 'ds-4d4d', rowCounts: { train: 9000 } }),
  step(3, 'train', 'started', { device: 'auto', modelFamily: 'resflow' }),
];

export const RUN_TRAINING: DetailFixture = {
  run: RUN_SUMMARY,
  parameters: { params: { epochs: 4 }, gate: { k: 10 } },
  steps: TRAINING_STEPS,
  live: {
    runId: RUN_SUMMARY.id,
    step: 'TRAIN',
    progress: 0.25,
    latestMetrics: { loss: 0.9 },
    gate: null,
    registered: null,
    decision: null,
    approvalDeadlineMillis: null,
    outcome: null,
  },
  links: { temporal: 'http://127.0.0.1:8233/namespaces/default/workflows/run-1967f566ffc6' },
};

export function progressEvent(progress: number, metrics: Record<string, number>, open = true): RunProgress {
  return {
    runId: RUN_SUMMARY.id,
    status: 'RUNNING',
    currentStep: 'train',
    outcome: null,
    reason: null,
    open,
    live: { ...RUN_TRAINING.live!, progress, latestMetrics: metrics },
  };
}

export const RUN_AWAITING: DetailFixture = {
  run: { ...RUN_SUMMARY, status: 'AWAITING_APPROVAL', currentStep: 'await_approval' },
  parameters: { params: { epochs: 3 }, gate: { k: 10 } },
  steps: [
    ...TRAINING_STEPS,
    step(4, 'train', 'completed', {
      device: 'cpu',
      bestEpoch: 2,
      epochsTrained: 3,
      mlflowRunId: '6a3b',
      onnxUri: 's3://x',
      runId: RUN_SUMMARY.id,
      validationMetrics: { 'val_wr@10': 1.0 },
    }),
    step(5, 'evaluate', 'started', {}),
    step(6, 'evaluate', 'completed', {
      fusion: 'additive',
      champion: CHAMPION,
      candidate: CANDIDATE,
      deadTasks: [],
      reportUri: 's3://r',
    }),
    step(7, 'gate', 'started', { k: 10 }),
    step(8, 'gate', 'completed', GATE_PASSED),
    step(9, 'register', 'started', {}),
    step(10, 'register', 'completed', { alias: 'candidate', version: '1', modelName: 'rankops-ranker', source: 's3://m' }),
    step(11, 'await_approval', 'started', { deadlineMillis: 1795697142656 }),
  ],
  live: {
    runId: RUN_SUMMARY.id,
    step: 'AWAIT_APPROVAL',
    progress: 0,
    latestMetrics: {},
    gate: GATE_PASSED,
    registered: { modelName: 'rankops-ranker', version: '1', alias: 'candidate', source: 's3://m' },
    decision: null,
    approvalDeadlineMillis: 1795697142656,
    outcome: null,
  },
  links: {
    temporal: 'http://127.0.0.1:8233/namespaces/default/workflows/run-1967f566ffc6',
    mlflow: 'http://127.0.0.1:5500/#/experiments/7/runs/6a3b',
  },
};

/** GET /api/runs/{id}/metrics of a run that trained 3 epochs (keys as the trainer logs them to MLflow). */
export const RUN_METRICS: RunMetrics = {
  mlflowRunId: '6a3b',
  epochs: [
    { epoch: 1, metrics: { epoch_seconds: 1.5, train_loss: 0.91, val_wr_at_10: 0.412, val_wr_at_5: 0.301 } },
    { epoch: 2, metrics: { epoch_seconds: 1.4, train_loss: 0.72, val_wr_at_10: 0.468, val_wr_at_5: 0.333 } },
    { epoch: 3, metrics: { epoch_seconds: 1.4, train_loss: 0.65, val_wr_at_10: 0.455, val_wr_at_5: 0.35 } },
  ],
};

export const NO_METRICS: RunMetrics = { mlflowRunId: null, epochs: [] };

export const PENDING: PendingApproval = {
  run: { ...RUN_SUMMARY, status: 'AWAITING_APPROVAL', currentStep: 'await_approval' },
  registered: { modelName: 'rankops-ranker', version: '2', alias: 'candidate', source: 's3://m' },
  gate: { ...GATE_PASSED, championWeightedRecall: 0.95 },
  candidate: CANDIDATE,
  champion: CHAMPION,
  fusion: 'additive',
  deadlineMillis: 1795697142656,
};

/** GET /api/approvals plans: a canary against champion v3, and the same without a champion. */
export const PLAN_CANARY: ApprovalPlan = {
  action: 'CANARY',
  stepsPercent: [5.0, 25.0, 50.0, 100.0],
  bakeSeconds: 900,
  minUsersPerArm: 200,
  championVersion: '3',
  candidateVersion: '4',
};

export const PLAN_PROMOTE: ApprovalPlan = { ...PLAN_CANARY, action: 'PROMOTE' };

/** GET /api/runs/{id}/rollout at 25 % after one judged step against champion v3. */
export const ROLLOUT_VS_CHAMPION: RolloutStatus = {
  runId: RUN_SUMMARY.id,
  modelName: 'rankops-ranker',
  candidateVersion: '4',
  trafficPercent: 25,
  paused: false,
  outcome: null,
  decisions: [
    {
      trafficPercent: 5,
      verdict: 'CONTINUE',
      reasons: ['no significant harm: orders/user 0.31 vs champion 0.30'],
      championOrdersPerUser: 0.3,
      candidateOrdersPerUser: 0.31,
      championUsers: 9500,
      candidateUsers: 500,
      zScore: 0.41,
      decidedAtMillis: 1_700_000_000_000,
      comparedWith: 'champion',
      championVersion: '3',
    },
  ],
};

/** The first judged bake of a canary without champion, as an older API sent it: "NaN" as a string. */
export const ROLLOUT_BASELINE_NAN = {
  ...ROLLOUT_VS_CHAMPION,
  trafficPercent: 5,
  decisions: [
    {
      trafficPercent: 5,
      verdict: 'EXTEND',
      reasons: ['too few users: 12 < 200'],
      championOrdersPerUser: 'NaN',
      candidateOrdersPerUser: 0,
      championUsers: 12,
      candidateUsers: 3,
      zScore: 'NaN',
      decidedAtMillis: 1_700_000_000_000,
      comparedWith: 'baseline',
      championVersion: null,
    },
  ],
} as unknown as RolloutStatus;

/** A controllable EventSource stand-in: tests push events with emit(). */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials: boolean;
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((e: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(url: string, init?: EventSourceInit) {
    this.url = url;
    this.withCredentials = !!init?.withCredentials;
    FakeEventSource.instances.push(this);
  }

  emit(data: unknown) {
    this.readyState = 1;
    this.onopen?.();
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(data) }));
  }

  close() {
    this.readyState = 2;
  }
}
