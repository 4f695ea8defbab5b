import { useCallback, useEffect, useId, useState } from 'react';
import { isAbortError } from '../api/http';
import {
  MODEL_FAMILIES,
  RUN_STATUSES,
  TRIGGERS,
  listRuns,
  type RunFilters,
  type RunPage,
} from '../api/runs';
import { CAN_TRIGGER, hasAnyRole, useMe } from '../auth/AuthContext';
import RunStatusBadge from '../components/RunStatusBadge';
import { MISSING, formatLocalDateTime, humanize } from '../format';
import { href } from '../router';
import { LoadError, Loading } from '../components/LoadState';

export const RUNS_PAGE_SIZE = 20;

export default function RunsPage() {
  const me = useMe();
  const [filters, setFilters] = useState<RunFilters>({ page: 0, size: RUNS_PAGE_SIZE });
  const [data, setData] = useState<RunPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reload, setReload] = useState(0);
  const ids = { status: useId(), family: useId(), trigger: useId(), mine: useId() };

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listRuns(filters, controller.signal).then(
      (page) => {
        setData(page);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setError(err instanceof Error ? err.message : String(err));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [filters, reload]);

  const setFilter = useCallback((key: keyof RunFilters, value: string) => {
    setFilters((f) => ({ ...f, [key]: value || undefined, page: 0 }));
  }, []);

  const page = data?.page ?? filters.page ?? 0;
  const total = data?.total ?? 0;
  const items = data?.items ?? [];
  const pages = Math.max(1, Math.ceil(total / (data?.size || filters.size || RUNS_PAGE_SIZE)));

  return (
    <section className="page" aria-labelledby="runs-title">
      <div className="page-header">
        <div>
          <h1 id="runs-title">Runs</h1>
          <p className="muted">Training pipeline runs, newest first.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="button button-secondary" onClick={() => setReload((n) => n + 1)}>
            Refresh
          </button>
          {hasAnyRole(me, CAN_TRIGGER) && (
            <a className="button" href={href('/runs/new')}>
              New run
            </a>
          )}
        </div>
      </div>

      <form className="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.family}>Model family</label>
          <select
            id={ids.family}
            value={filters.modelFamily ?? ''}
            onChange={(e) => setFilter('modelFamily', e.target.value)}
          >
            <option value="">Any family</option>
            {MODEL_FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.trigger}>Trigger</label>
          <select id={ids.trigger} value={filters.trigger ?? ''} onChange={(e) => setFilter('trigger', e.target.value)}>
            <option value="">Any trigger</option>
            {TRIGGERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <input
            id={ids.mine}
            type="checkbox"
            checked={filters.triggeredBy === me.username}
            onChange={(e) => setFilter('triggeredBy', e.target.checked ? me.username : '')}
          />
          <label htmlFor={ids.mine}>Only my runs</label>
        </div>
      </form>

      {error && <LoadError what="runs" error={error} />}
      {loading && !data && <Loading what="runs" />}

      {data && (
        <div className={loading ? 'table-wrap stale' : 'table-wrap'} aria-busy={loading}>
          <table className="table">
            <caption className="visually-hidden">Runs, page {page + 1} of {pages}</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Model</th>
                <th scope="col">Trigger</th>
                <th scope="col">Triggered by</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run, i) => (
                <tr key={run.id ?? `row-${i}`}>
                  <td>
                    {run.id ? (
                      <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>
                        <code>{run.id}</code>
                      </a>
                    ) : (
                      MISSING
                    )}
                    <div className="muted small">
                      {run.windowStart} → {run.windowEnd}
                    </div>
                  </td>
                  <td>
                    <RunStatusBadge status={run.status} />
                    {run.currentStep && run.status === 'RUNNING' && (
                      <div className="muted small">{humanize(run.currentStep)}</div>
                    )}
                  </td>
                  <td>
                    {run.modelFamily}
                    <div className="muted small">{run.modelName}</div>
                  </td>
                  <td>{run.trigger}</td>
                  <td>{run.triggeredBy}</td>
                  <td>
                    <time dateTime={run.createdAt ?? undefined}>{formatLocalDateTime(run.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 0 && <p className="empty">No runs match these filters.</p>}
        </div>
      )}

      {data && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="button button-secondary"
            disabled={page <= 0 || loading}
            onClick={() => setFilters((f) => ({ ...f, page: Math.max(0, page - 1) }))}
          >
            Previous
          </button>
          <span aria-live="polite">
            Page {page + 1} of {pages} · {total} run{total === 1 ? '' : 's'}
          </span>
          <button
            type="button"
            className="button button-secondary"
            disabled={page + 1 >= pages || loading}
            onClick={() => setFilters((f) => ({ ...f, page: page + 1 }))}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
