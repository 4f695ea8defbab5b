import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, isAbortError, type FieldViolation } from '../api/http';
import { fetchRunDefaults, startRun, type RunDefaults, type RunRequest } from '../api/runs';
import { FieldError, RadioGroup, TextField, describedBy, errorId, fieldId } from '../components/Field';
import { formatDuration } from '../format';
import { navigate } from '../router';
import { LoadError, Loading } from '../components/LoadState';

/**
 * The one default the API does not give: the demo data's week. The synthetic events exist for
 * 2026-11-01..2026-11-07 only, so a new run starts on that window. Everything else comes from
 * GET /api/runs/defaults.
 */
export const DEMO_WINDOW = { start: '2026-11-01', end: '2026-11-07' } as const;

/** A default as the text of its input; blank when the API left it out or sent a non-number. */
function numberText(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/** Every text input of the form, pre-filled from the API's defaults. */
export function initialText(defaults: RunDefaults): Record<string, string> {
  const { params, gate, rollout } = defaults;
  return {
    modelName: defaults.modelName ?? '',
    'window.start': DEMO_WINDOW.start,
    'window.end': DEMO_WINDOW.end,
    'params.epochs': numberText(params?.epochs),
    'params.batchSize': numberText(params?.batchSize),
    'params.learningRate': numberText(params?.learningRate),
    'params.embeddingDim': numberText(params?.embeddingDim),
    'params.patience': numberText(params?.patience),
    'params.seed': numberText(params?.seed),
    ...Object.fromEntries((defaults.tasks ?? []).map((t) => [`params.taskLossWeights[${t}]`, ''])),
    'gate.k': numberText(gate?.k),
    'gate.minWeightedRecall': numberText(gate?.minWeightedRecall),
    'gate.maxRegression': numberText(gate?.maxRegression),
    ...Object.fromEntries((defaults.regions ?? []).map((r) => [`gate.regionFloors[${r}]`, ''])),
    approvalTimeoutHours: numberText(defaults.approvalTimeoutHours),
    'rollout.bakeSeconds': numberText(rollout?.bakeSeconds),
    'rollout.stepsPercent': Array.isArray(rollout?.stepsPercent) ? rollout.stepsPercent.map(numberText).join(', ') : '',
    'rollout.minUsersPerArm': numberText(rollout?.minUsersPerArm),
  };
}

/** The family a new run starts with: the API's, when it names one, otherwise the first it offers. */
export function defaultFamily(defaults: RunDefaults): string {
  const named = defaults.modelFamily;
  return typeof named === 'string' && named ? named : (defaults.modelFamilies?.[0] ?? '');
}

/** What each gate metric measures, in the form's words (docs/metrics.md). */
const GATE_METRIC_TEXT: Record<string, string> = {
  displayed_wr: 'WR@K of the displayed list (orders inside the top K of what was shown)',
  prerank_wr: 'pre-rank WR@K (orders inside the top K of the whole candidate set)',
};

/** The form's fields that are not text inputs but still get messages beside them. */
const OTHER_FIELDS = ['modelFamily', 'regionMask', 'regions', 'device', 'gate.metric', 'window', 'trigger', 'rollout'];
/** Text inputs present whatever the API's lists are. */
const FIXED_TEXT_FIELDS = [
  'modelName',
  'window.start',
  'window.end',
  'params.epochs',
  'params.batchSize',
  'params.learningRate',
  'params.embeddingDim',
  'params.patience',
  'params.seed',
  'gate.k',
  'gate.minWeightedRecall',
  'gate.maxRegression',
  'approvalTimeoutHours',
  'rollout.bakeSeconds',
  'rollout.stepsPercent',
  'rollout.minUsersPerArm',
];

/**
 * Where a violation's message goes: "regions[0]" -> "regions", "window" -> "window.end",
 * "rollout.stepsPercent[1]" -> "rollout.stepsPercent", unknown -> null. `textFields` are the
 * form's inputs (its per-task and per-region ones depend on the API's lists).
 */
export function fieldForViolation(field: string, textFields: Iterable<string> = FIXED_TEXT_FIELDS): string | null {
  const known = new Set([...FIXED_TEXT_FIELDS, ...textFields, ...OTHER_FIELDS]);
  if (known.has(field)) return field === 'window' ? 'window.end' : field;
  if (field.startsWith('regions')) return 'regions';
  if (field.startsWith('params.taskLossWeights')) return 'params.taskLossWeights';
  if (field.startsWith('gate.regionFloors')) return 'gate.regionFloors';
  if (field.startsWith('rollout.stepsPercent')) return 'rollout.stepsPercent';
  return null;
}

/** "5, 25, 50, 100" -> [5, 25, 50, 100]; an error text when an entry is not a number in (0, 100]. */
export function parseSteps(text: string): { steps: number[]; error: string | null } {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim().replace(/%$/, '').trim())
    .filter(Boolean);
  if (parts.length === 0) return { steps: [], error: 'enter at least one step, e.g. 5, 25, 50, 100' };
  const steps = parts.map(Number);
  const bad = parts.filter((_, i) => !Number.isFinite(steps[i]!) || steps[i]! <= 0 || steps[i]! > 100);
  if (bad.length) {
    return { steps: [], error: `steps must be numbers above 0 and at most 100, separated by commas (not ${bad.join(', ')})` };
  }
  return { steps, error: null };
}

const INTEGER_FIELDS = new Set([
  'params.epochs',
  'params.batchSize',
  'params.embeddingDim',
  'params.patience',
  'params.seed',
  'gate.k',
  'approvalTimeoutHours',
  'rollout.bakeSeconds',
  'rollout.minUsersPerArm',
]);

type Errors = Record<string, string>;

interface Choices {
  modelFamily: string;
  regionMask: boolean;
  regions: string[];
  device: string;
  /** The WR@K the gate judges (GateMetric wire name; empty: the API's default). */
  gateMetric?: string;
  /** Ask for the canary after approval. */
  rollout: boolean;
}

export function buildRequest(
  text: Record<string, string>,
  choices: Choices,
  lists: { tasks: readonly string[]; regions: readonly string[] },
): { body: RunRequest; errors: Errors } {
  const { modelFamily, regionMask, regions, device } = choices;
  const errors: Errors = {};
  const num = (key: string): number | undefined => {
    const raw = (text[key] ?? '').trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      errors[key] = 'enter a number';
      return undefined;
    }
    if (INTEGER_FIELDS.has(key) && !Number.isInteger(value)) {
      errors[key] = 'enter a whole number';
      return undefined;
    }
    return value;
  };
  const map = (keys: readonly string[], prefix: string) => {
    const out: Record<string, number> = {};
    for (const k of keys) {
      const v = num(`${prefix}[${k}]`);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  if (regions.length === 0 && lists.regions.length > 0) errors.regions = 'choose at least one region';
  const body: RunRequest = {
    modelName: text.modelName?.trim() || undefined,
    modelFamily,
    regionMask,
    window: { start: text['window.start'] ?? '', end: text['window.end'] ?? '' },
    regions,
    params: {
      epochs: num('params.epochs'),
      batchSize: num('params.batchSize'),
      learningRate: num('params.learningRate'),
      embeddingDim: num('params.embeddingDim'),
      patience: num('params.patience'),
      seed: num('params.seed'),
      taskLossWeights: map(lists.tasks, 'params.taskLossWeights'),
    },
    gate: {
      k: num('gate.k'),
      minWeightedRecall: num('gate.minWeightedRecall'),
      maxRegression: num('gate.maxRegression'),
      regionFloors: map(lists.regions, 'gate.regionFloors'),
      ...(choices.gateMetric ? { metric: choices.gateMetric as NonNullable<RunRequest['gate']>['metric'] } : {}),
    },
    device: device as RunRequest['device'],
    approvalTimeoutHours: num('approvalTimeoutHours'),
    trigger: 'ui',
  };
  if (choices.rollout) {
    const bakeSeconds = num('rollout.bakeSeconds');
    if (bakeSeconds === undefined && !errors['rollout.bakeSeconds']) errors['rollout.bakeSeconds'] = 'enter the bake time in seconds';
    const { steps, error } = parseSteps(text['rollout.stepsPercent'] ?? '');
    if (error) errors['rollout.stepsPercent'] = error;
    const minUsersPerArm = num('rollout.minUsersPerArm');
    if (bakeSeconds !== undefined) {
      body.rollout = { bakeSeconds, stepsPercent: steps, ...(minUsersPerArm === undefined ? {} : { minUsersPerArm }) };
    }
  }
  return { body, errors };
}

/** New run: loads the platform's defaults (GET /api/runs/defaults), then the form pre-filled with them. */
export default function NewRunPage() {
  const [defaults, setDefaults] = useState<RunDefaults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    fetchRunDefaults(controller.signal).then(
      (d) => setDefaults(d),
      (err: unknown) => {
        if (!isAbortError(err)) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return (
    <section className="page" aria-labelledby="new-run-title">
      <div className="page-header">
        <div>
          <h1 id="new-run-title">New run</h1>
          <p className="muted">
            Extract a data window, train a model, evaluate it against the champion and gate it for approval.
          </p>
        </div>
      </div>
      {defaults ? (
        <RunForm defaults={defaults} />
      ) : error ? (
        <>
          <LoadError what="the run defaults" error={error} />
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </>
      ) : (
        <Loading what="the run defaults" />
      )}
    </section>
  );
}

function RunForm({ defaults }: { defaults: RunDefaults }) {
  const families = defaults.modelFamilies ?? [];
  const allRegions = defaults.regions ?? [];
  const tasks = defaults.tasks ?? [];
  const devices = defaults.devices ?? [];
  const [text, setText] = useState<Record<string, string>>(() => initialText(defaults));
  const [modelFamily, setModelFamily] = useState<string>(() => defaultFamily(defaults));
  const [regionMask, setRegionMask] = useState(!!defaults.regionMask);
  const [regions, setRegions] = useState<string[]>(() => [...allRegions]);
  const [device, setDevice] = useState<string>(defaults.device ?? '');
  const gateMetrics = defaults.gate?.metrics ?? [];
  const [gateMetric, setGateMetric] = useState<string>(defaults.gate?.metric ?? '');
  const [rollout, setRollout] = useState(true);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<FieldViolation[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const bind = (key: string) => ({
    path: key,
    value: text[key] ?? '',
    onChange: (value: string) => setText((t) => ({ ...t, [key]: value })),
    error: errors[key],
  });

  function showProblems(fieldErrors: Errors, rest: FieldViolation[], message: string | null) {
    setErrors(fieldErrors);
    setGeneral(rest);
    setFailure(message);
    // Let the summary render, then move focus to it so the problems are announced.
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { body, errors: local } = buildRequest(
      text,
      { modelFamily, regionMask, regions, device, gateMetric, rollout },
      { tasks, regions: allRegions },
    );
    if (Object.keys(local).length) {
      showProblems(local, [], null);
      return;
    }
    setBusy(true);
    try {
      const run = await startRun(body);
      if (!run?.id) throw new ApiError('Unexpected response from the API: the new run has no id.');
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.violations.length) {
        const fieldErrors: Errors = {};
        const rest: FieldViolation[] = [];
        const textFields = Object.keys(text);
        for (const v of err.violations) {
          const key = fieldForViolation(v.field, textFields);
          if (key) {
            const label = key.endsWith(']') || key === v.field || key === 'window.end' ? '' : `${v.field}: `;
            fieldErrors[key] = fieldErrors[key] ? `${fieldErrors[key]}; ${label}${v.message}` : `${label}${v.message}`;
          } else rest.push(v);
        }
        showProblems(fieldErrors, rest, null);
      } else {
        showProblems({}, [], err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  }

  function reset() {
    setText(initialText(defaults));
    setModelFamily(defaultFamily(defaults));
    setRegionMask(!!defaults.regionMask);
    setRegions([...allRegions]);
    setDevice(defaults.device ?? '');
    setGateMetric(defaults.gate?.metric ?? '');
    setRollout(true);
    setErrors({});
    setGeneral([]);
    setFailure(null);
  }

  const problemCount = Object.keys(errors).length + general.length;
  const focusField = (key: string) => {
    const el = document.getElementById(fieldId(key));
    // groups (regions, device, map fields) take focus on their first input
    (el instanceof HTMLFieldSetElement ? el.querySelector<HTMLElement>('input, select') : el)?.focus();
  };
  const bakeText = (text['rollout.bakeSeconds'] ?? '').trim();
  const bake = bakeText && Number.isFinite(Number(bakeText)) ? formatDuration(Number(bakeText)) : null;
  const windowDays = defaults.window ? `${defaults.window.minDays} to ${defaults.window.maxDays} days` : 'a few days';

  return (
    <>
      <div ref={summaryRef} tabIndex={-1} className="summary-anchor">
        {(problemCount > 0 || failure) && (
          <div className="error" role="alert">
            {failure ? (
              <p>
                <strong>The run was not started.</strong> {failure}
              </p>
            ) : (
              <>
                <p>
                  <strong>
                    The run was not started: {problemCount} problem{problemCount === 1 ? '' : 's'} to fix.
                  </strong>
                </p>
                <ul>
                  {Object.entries(errors).map(([key, message]) => (
                    <li key={key}>
                      <a
                        href={`#${fieldId(key)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          focusField(key);
                        }}
                      >
                        {key}
                      </a>
                      : {message}
                    </li>
                  ))}
                  {general.map((v) => (
                    <li key={`${v.field}-${v.message}`}>
                      {v.field}: {v.message}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </div>

      <form className="run-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-run-title">
        <fieldset className="panel">
          <legend>Model</legend>
          <div className="grid-2">
            <div className={errors.modelFamily ? 'field field-invalid' : 'field'}>
              <label htmlFor={fieldId('modelFamily')}>Model family</label>
              <select
                {...describedBy('modelFamily', errors.modelFamily)}
                value={modelFamily}
                onChange={(e) => setModelFamily(e.target.value)}
              >
                {families.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
              <FieldError path="modelFamily" error={errors.modelFamily} />
            </div>
            <TextField label="Registered model name" {...bind('modelName')} hint="The MLflow model the version is registered under." />
          </div>
          <div className={errors.regionMask ? 'field field-inline field-invalid' : 'field field-inline'}>
            <input
              {...describedBy('regionMask', errors.regionMask)}
              type="checkbox"
              checked={regionMask}
              onChange={(e) => setRegionMask(e.target.checked)}
            />
            <label htmlFor={fieldId('regionMask')}>Region mask (per-region task towers masking)</label>
            <FieldError path="regionMask" error={errors.regionMask} />
          </div>
        </fieldset>

        <fieldset className="panel">
          <legend>Data</legend>
          <div className="grid-2">
            <TextField label="Window start" type="date" required {...bind('window.start')} />
            <TextField
              label="Window end"
              type="date"
              required
              {...bind('window.end')}
              hint={`Inclusive, ${windowDays}; the last day is the test split, the one before it validation.`}
            />
          </div>
          <fieldset
            className={errors.regions ? 'checkbox-group field-invalid' : 'checkbox-group'}
            aria-describedby={errors.regions ? errorId('regions') : undefined}
            aria-invalid={errors.regions ? true : undefined}
            data-field="regions"
            id={fieldId('regions')}
          >
            <legend>Regions</legend>
            {allRegions.length === 0 && (
              <p className="muted">
                No event source declares its regions yet (seed events first: <code>./rankops demo</code> seeds a week); the
                run trains on every region the events have.
              </p>
            )}
            {allRegions.map((region) => (
              <label key={region} className="checkbox">
                <input
                  type="checkbox"
                  name="regions"
                  value={region}
                  checked={regions.includes(region)}
                  aria-invalid={errors.regions ? true : undefined}
                  onChange={(e) =>
                    setRegions((list) =>
                      e.target.checked
                        ? allRegions.filter((r) => r === region || list.includes(r))
                        : list.filter((r) => r !== region),
                    )
                  }
                />
                {region}
              </label>
            ))}
            <FieldError path="regions" error={errors.regions} />
          </fieldset>
        </fieldset>

        <fieldset className="panel">
          <legend>Hyperparameters</legend>
          <div className="grid-3">
            <TextField label="Epochs" inputMode="numeric" {...bind('params.epochs')} hint="1–500" />
            <TextField label="Batch size" inputMode="numeric" {...bind('params.batchSize')} hint="8–65536" />
            <TextField label="Learning rate" inputMode="decimal" {...bind('params.learningRate')} hint="(0, 1]" />
            <TextField label="Embedding dimension" inputMode="numeric" {...bind('params.embeddingDim')} hint="2–1024" />
            <TextField label="Early-stopping patience" inputMode="numeric" {...bind('params.patience')} hint="0–100 epochs" />
            <TextField label="Seed" inputMode="numeric" {...bind('params.seed')} />
          </div>
          <fieldset
            className="subgroup"
            data-field="params.taskLossWeights"
            id={fieldId('params.taskLossWeights')}
            aria-describedby={errors['params.taskLossWeights'] ? errorId('params.taskLossWeights') : undefined}
          >
            <legend>Task loss weights (optional, 0–100; blank = trainer default)</legend>
            <div className="grid-3">
              {tasks.map((task) => (
                <TextField key={task} label={`${task} weight`} inputMode="decimal" {...bind(`params.taskLossWeights[${task}]`)} />
              ))}
            </div>
            <FieldError path="params.taskLossWeights" error={errors['params.taskLossWeights']} />
          </fieldset>
        </fieldset>

        <fieldset className="panel">
          <legend>Gate policy</legend>
          {gateMetrics.length > 0 && (
            <RadioGroup
              path="gate.metric"
              legend="Metric the gate judges"
              options={gateMetrics}
              value={gateMetric}
              onChange={setGateMetric}
              error={errors['gate.metric']}
              label={(m) => GATE_METRIC_TEXT[m] ?? m}
            />
          )}
          <div className="grid-3">
            <TextField
              label="K (WR@K)"
              inputMode="numeric"
              {...bind('gate.k')}
              hint={
                gateMetric === 'prerank_wr'
                  ? 'how many candidates the pre-ranker keeps for the next stage; the platform floor caps it'
                  : 'the platform floor caps it (a larger K is an easier bar)'
              }
            />
            <TextField
              label="Minimum weighted recall"
              inputMode="decimal"
              {...bind('gate.minWeightedRecall')}
              hint="0–1, the candidate's WR@K must reach it"
            />
            <TextField
              label="Maximum regression"
              inputMode="decimal"
              {...bind('gate.maxRegression')}
              hint="0–1, allowed relative drop against the champion"
            />
          </div>
          <fieldset
            className="subgroup"
            data-field="gate.regionFloors"
            id={fieldId('gate.regionFloors')}
            aria-describedby={errors['gate.regionFloors'] ? errorId('gate.regionFloors') : undefined}
          >
            <legend>Region floors (optional WR@K minimum per region, 0–1)</legend>
            <div className="grid-4">
              {allRegions.map((region) => (
                <TextField key={region} label={`${region} floor`} inputMode="decimal" {...bind(`gate.regionFloors[${region}]`)} />
              ))}
            </div>
            <FieldError path="gate.regionFloors" error={errors['gate.regionFloors']} />
          </fieldset>
        </fieldset>

        <fieldset className="panel">
          <legend>Rollout</legend>
          <div className={errors.rollout ? 'field field-inline field-invalid' : 'field field-inline'}>
            <input
              {...describedBy('rollout', errors.rollout)}
              type="checkbox"
              checked={rollout}
              onChange={(e) => setRollout(e.target.checked)}
            />
            <label htmlFor={fieldId('rollout')}>Roll out as a canary after approval</label>
            <FieldError path="rollout" error={errors.rollout} />
          </div>
          {rollout ? (
            <div className="grid-3">
              <TextField
                label="Bake time (seconds)"
                inputMode="numeric"
                {...bind('rollout.bakeSeconds')}
                hint={`${bake ? `${bake} per step; ` : ''}10 s to 7 days`}
              />
              <TextField
                label="Steps (%)"
                inputMode="decimal"
                {...bind('rollout.stepsPercent')}
                hint="Candidate traffic per step, comma-separated, each above 0 and at most 100; the last is the promotion"
              />
              <TextField
                label="Minimum users per arm"
                inputMode="numeric"
                {...bind('rollout.minUsersPerArm')}
                hint="A step is judged only once both arms have this many buyers"
              />
            </div>
          ) : (
            <p className="notice">Approval will make the version champion at once: no canary, all buyers get it.</p>
          )}
        </fieldset>

        <fieldset className="panel">
          <legend>Execution</legend>
          <div className="grid-2">
            <RadioGroup
              path="device"
              legend="Device"
              options={devices}
              value={device}
              onChange={setDevice}
              error={errors.device}
            />
            <TextField
              label="Approval timeout (hours)"
              inputMode="numeric"
              {...bind('approvalTimeoutHours')}
              hint="1–336; the run expires when nobody decides in time"
            />
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Starting…' : 'Start run'}
          </button>
          <button type="button" className="button button-secondary" onClick={reset}>
            Reset to defaults
          </button>
        </div>
      </form>
    </>
  );
}
