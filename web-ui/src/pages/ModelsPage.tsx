import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, isAbortError } from '../api/http';
import { DEFAULT_MODEL_NAME, fetchModelVersions, type ModelVersion, type ModelVersions } from '../api/models';
import { AlignmentChart } from '../charts/AlignmentChart';
import ErrorBoundary from '../components/ErrorBoundary';
import { formatMillis, formatScore, humanize } from '../format';
import { href } from '../router';

const LIFECYCLE_TONE: Record<string, string> = {
  AWAITING_APPROVAL: 'warn',
  IN_CANARY: 'info',
  CHAMPION: 'ok',
  RETIRED: 'neutral',
  ROLLED_BACK: 'bad',
  ABORTED: 'bad',
  REJECTED: 'bad',
  EXPIRED: 'neutral',
  CANCELLED: 'neutral',
};

/** A version's lifecycle as a badge ("in canary"); nothing for versions without one. */
export function LifecycleBadge({ lifecycle }: { lifecycle: unknown }) {
  if (typeof lifecycle !== 'string' || !lifecycle) return null;
  return <span className={`pill pill-${LIFECYCLE_TONE[lifecycle] ?? 'neutral'}`}>{humanize(lifecycle)}</span>;
}

/** The champion version: the one whose lifecycle says so, else the one the champion alias points at. */
export function championOf(data: Pick<ModelVersions, 'aliases' | 'versions'>): string | null {
  const versions: ModelVersion[] = Array.isArray(data.versions) ? data.versions : [];
  const byLifecycle = versions.find((v) => v?.lifecycle === 'CHAMPION');
  if (byLifecycle?.version) return byLifecycle.version;
  const alias = data.aliases?.champion;
  return typeof alias === 'string' && alias ? alias : null;
}

/** Which version buyers get, above the table. */
function ChampionLine({ data }: { data: ModelVersions }) {
  const champion = championOf(data);
  return champion ? (
    <p className="notice notice-ok">
      <strong>Champion: v{champion}</strong>
    </p>
  ) : (
    <p className="notice">
      <strong>No champion yet:</strong> buyers get the baseline order.
    </p>
  );
}

function VersionsTable({ data }: { data: ModelVersions }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Versions of {data.name}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Lifecycle</th>
            <th scope="col">Aliases</th>
            <th scope="col">Created</th>
            <th scope="col">Family</th>
            <th scope="col">Run</th>
            <th scope="col">Dataset</th>
            <th scope="col">Offline scores</th>
          </tr>
        </thead>
        <tbody>
          {(data.versions ?? []).map((v) => {
            const metrics = Object.entries(v.tags ?? {})
              .filter(([key]) => key.startsWith('metric.'))
              .sort(([a], [b]) => a.localeCompare(b));
            const aliases = Array.isArray(v.aliases) ? v.aliases : [];
            return (
              <tr key={v.version}>
                <th scope="row">
                  v{v.version}
                  <div className="muted small">{v.status}</div>
                </th>
                <td>{v.lifecycle ? <LifecycleBadge lifecycle={v.lifecycle} /> : '–'}</td>
                <td>
                  {aliases.length === 0
                    ? '–'
                    : aliases.map((a) => (
                        <span key={a} className={`pill pill-${a === 'champion' ? 'ok' : 'info'}`}>
                          {a}
                        </span>
                      ))}
                </td>
                <td>{formatMillis(v.createdAtMillis)}</td>
                <td>{v.tags?.['rankops.model_family'] ?? '–'}</td>
                <td>
                  {v.runId ? (
                    <a href={href(`/runs/${encodeURIComponent(v.runId)}`)}>
                      <code>{v.runId}</code>
                    </a>
                  ) : (
                    '–'
                  )}
                  {typeof v.mlflowRunId === 'string' && (
                    <div className="muted small">MLflow {v.mlflowRunId.slice(0, 8)}</div>
                  )}
                </td>
                <td>{v.datasetId ? <code>{v.datasetId}</code> : '–'}</td>
                <td className="small">
                  {metrics.length === 0
                    ? '–'
                    : metrics.map(([key, value]) => (
                        <div key={key}>
                          {key.slice('metric.'.length)} {formatScore(Number(value))}
                        </div>
                      ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function ModelsPage() {
  const [input, setInput] = useState(DEFAULT_MODEL_NAME);
  const [name, setName] = useState(DEFAULT_MODEL_NAME);
  const [data, setData] = useState<ModelVersions | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** No registered model of this name yet: a normal state on a new stack, not an error. */
  const [absent, setAbsent] = useState(false);
  const [loading, setLoading] = useState(true);
  const [reload, setReload] = useState(0);
  const inputId = useId();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetchModelVersions(name, controller.signal).then(
      (d) => {
        setData(d);
        setError(null);
        setAbsent(false);
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setData(null);
        const notFound = err instanceof ApiError && err.status === 404;
        setAbsent(notFound);
        setError(notFound ? null : err instanceof Error ? err.message : String(err));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [name, reload]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = input.trim();
    if (!trimmed) return;
    if (trimmed === name) setReload((n) => n + 1);
    else setName(trimmed);
  }

  return (
    <section className="page" aria-labelledby="models-title">
      <div className="page-header">
        <div>
          <h1 id="models-title">Models</h1>
          <p className="muted">Registered versions in MLflow, newest first, with aliases and lineage.</p>
        </div>
      </div>
      <form className="filters" onSubmit={submit} role="search" aria-label="Registered model">
        <div className="field">
          <label htmlFor={inputId}>Registered model name</label>
          <input id={inputId} value={input} onChange={(e) => setInput(e.target.value)} />
        </div>
        <button type="submit" className="button">
          Show versions
        </button>
      </form>

      {absent && (
        <p className="notice" role="status">
          There is no registered model named “{name}” yet: it appears once a run registers a version. Until a
          version is approved and becomes champion, buyers get the baseline order (the caller&apos;s own ranking).
        </p>
      )}
      {error && (
        <div className="error" role="alert">
          <p>{error}</p>
        </div>
      )}
      {loading && !data && (
        <p className="loading" role="status">
          Loading versions…
        </p>
      )}
      {data && (
        <div className={loading ? 'stale' : undefined}>
          <h2>
            {data.name}{' '}
            <span className="muted">
              · {data.versions?.length ?? 0} version{data.versions?.length === 1 ? '' : 's'}
            </span>
          </h2>
          {data.description && <p>{data.description}</p>}
          <p>
            Aliases:{' '}
            {Object.keys(data.aliases ?? {}).length === 0
              ? 'none'
              : Object.entries(data.aliases ?? {})
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([alias, version]) => (
                    <span key={alias} className={`pill pill-${alias === 'champion' ? 'ok' : 'info'}`}>
                      {alias} → v{version}
                    </span>
                  ))}
          </p>
          <ChampionLine data={data} />
          <ErrorBoundary name="Model versions table" resetKeys={[data]}>
            <VersionsTable data={data} />
          </ErrorBoundary>
        </div>
      )}
      <h2>Offline ↔ online alignment (benchmark)</h2>
      <p className="muted">
        How well each offline metric ranks a zoo of models like the online orders they earn on the synthetic
        pre-rank world (docs/benchmarks.md). The gate should judge a metric that ranks them alike.
      </p>
      <ErrorBoundary name="Alignment chart">
        <AlignmentChart />
      </ErrorBoundary>
    </section>
  );
}
