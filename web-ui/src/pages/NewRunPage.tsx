import { useRef, useState, type FormEvent } from 'react';
import { ApiError, type FieldViolation } from '../api/http';
import { MODEL_FAMILIES, REGIONS, startRun, type RunRequest } from '../api/runs';
import { FieldError, TextField, describedBy, errorId, fieldId } from '../components/Field';
import { navigate } from '../router';

const TASKS = ['click', 'cart', 'purchase'] as const;
const DEVICES = ['auto', 'cpu', 'gpu'] as const;

/** Defaults that train quickly on the demo data (events exist for 2026-11-01..2026-11-07). */
export const DEFAULT_TEXT: Record<string, string> = {
  modelName: 'rankops-ranker',
  'window.start': '2026-11-01',
  'window.end': '2026-11-07',
  'params.epochs': '3',
  'params.batchSize': '64',
  'params.learningRate': '0.002',
  'params.embeddingDim': '12',
  'params.patience': '2',
  'params.seed': '7',
  ...Object.fromEntries(TASKS.map((t) => [`params.taskLossWeights[${t}]`, ''])),
  'gate.k': '10',
  'gate.minWeightedRecall': '0.5',
  'gate.maxRegression': '0.02',
  ...Object.fromEntries(REGIONS.map((r) => [`gate.regionFloors[${r}]`, ''])),
  approvalTimeoutHours: '72',
};

/** Fields that are not text inputs but still get messages beside them. */
const OTHER_FIELDS = ['modelFamily', 'regionMask', 'regions', 'device', 'window', 'trigger'];
const KNOWN_FIELDS = new Set([...Object.keys(DEFAULT_TEXT), ...OTHER_FIELDS]);

/** Where a violation's message goes: "regions[0]" -> "regions", "window" -> "window.end", unknown -> null. */
export function fieldForViolation(field: string): string | null {
  if (KNOWN_FIELDS.has(field)) return field === 'window' ? 'window.end' : field;
  if (field.startsWith('regions')) return 'regions';
  if (field.startsWith('params.taskLossWeights')) return 'params.taskLossWeights';
  if (field.startsWith('gate.regionFloors')) return 'gate.regionFloors';
  return null;
}

const INTEGER_FIELDS = new Set([
  'params.epochs',
  'params.batchSize',
  'params.embeddingDim',
  'params.patience',
  'params.seed',
  'gate.k',
  'approvalTimeoutHours',
]);

type Errors = Record<string, string>;

function buildRequest(
  text: Record<string, string>,
  modelFamily: string,
  regionMask: boolean,
  regions: string[],
  device: string,
): { body: RunRequest; errors: Errors } {
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
  if (regions.length === 0) errors.regions = 'choose at least one region';
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
      taskLossWeights: map(TASKS, 'params.taskLossWeights'),
    },
    gate: {
      k: num('gate.k'),
      minWeightedRecall: num('gate.minWeightedRecall'),
      maxRegression: num('gate.maxRegression'),
      regionFloors: map(REGIONS, 'gate.regionFloors'),
    },
    device: device as RunRequest['device'],
    approvalTimeoutHours: num('approvalTimeoutHours'),
    trigger: 'ui',
  };
  return { body, errors };
}

export default function NewRunPage() {
  const [text, setText] = useState<Record<string, string>>(DEFAULT_TEXT);
  const [modelFamily, setModelFamily] = useState<string>('resflow');
  const [regionMask, setRegionMask] = useState(true);
  const [regions, setRegions] = useState<string[]>([...REGIONS]);
  const [device, setDevice] = useState<string>('auto');
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
    const { body, errors: local } = buildRequest(text, modelFamily, regionMask, regions, device);
    if (Object.keys(local).length) {
      showProblems(local, [], null);
      return;
    }
    setBusy(true);
    try {
      const run = await startRun(body);
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.violations.length) {
        const fieldErrors: Errors = {};
        const rest: FieldViolation[] = [];
        for (const v of err.violations) {
          const key = fieldForViolation(v.field);
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

  const problemCount = Object.keys(errors).length + general.length;
  const focusField = (key: string) => {
    const el = document.getElementById(fieldId(key));
    // groups (regions, device, map fields) take focus on their first input
    (el instanceof HTMLFieldSetElement ? el.querySelector<HTMLElement>('input, select') : el)?.focus();
  };

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
                {MODEL_FAMILIES.map((f) => (
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
              hint="Inclusive, 3 to 90 days; the last day is the test split, the one before it validation."
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
            {REGIONS.map((region) => (
              <label key={region} className="checkbox">
                <input
                  type="checkbox"
                  name="regions"
                  value={region}
                  checked={regions.includes(region)}
                  aria-invalid={errors.regions ? true : undefined}
                  onChange={(e) =>
                    setRegions((list) =>
                      e.target.checked ? REGIONS.filter((r) => r === region || list.includes(r)) : list.filter((r) => r !== region),
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
              {TASKS.map((task) => (
                <TextField key={task} label={`${task} weight`} inputMode="decimal" {...bind(`params.taskLossWeights[${task}]`)} />
              ))}
            </div>
            <FieldError path="params.taskLossWeights" error={errors['params.taskLossWeights']} />
          </fieldset>
        </fieldset>

        <fieldset className="panel">
          <legend>Gate policy</legend>
          <div className="grid-3">
            <TextField label="K (WR@K)" inputMode="numeric" {...bind('gate.k')} hint="1–100" />
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
              {REGIONS.map((region) => (
                <TextField key={region} label={`${region} floor`} inputMode="decimal" {...bind(`gate.regionFloors[${region}]`)} />
              ))}
            </div>
            <FieldError path="gate.regionFloors" error={errors['gate.regionFloors']} />
          </fieldset>
        </fieldset>

        <fieldset className="panel">
          <legend>Execution</legend>
          <div className="grid-2">
            <fieldset
              className={errors.device ? 'radio-group field-invalid' : 'radio-group'}
              id={fieldId('device')}
              data-field="device"
              aria-describedby={errors.device ? errorId('device') : undefined}
            >
              <legend>Device</legend>
              {DEVICES.map((d) => (
                <label key={d} className="checkbox">
                  <input
                    type="radio"
                    name="device"
                    value={d}
                    checked={device === d}
                    aria-invalid={errors.device ? true : undefined}
                    onChange={() => setDevice(d)}
                  />
                  {d}
                </label>
              ))}
              <FieldError path="device" error={errors.device} />
            </fieldset>
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
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setText(DEFAULT_TEXT);
              setModelFamily('resflow');
              setRegionMask(true);
              setRegions([...REGIONS]);
              setDevice('auto');
              setErrors({});
              setGeneral([]);
              setFailure(null);
            }}
          >
            Reset to defaults
          </button>
        </div>
      </form>
    </section>
  );
}
