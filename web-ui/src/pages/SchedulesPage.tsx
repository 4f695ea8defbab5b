import { useState } from 'react';
import { ApiError } from '../api/http';
import { listSchedules, pauseSchedule, triggerSchedule, type Schedule } from '../api/schedules';
import { CAN_TRIGGER, hasAnyRole, useMe } from '../auth/AuthContext';
import { formatLocalDateTime } from '../format';
import { href } from '../router';
import { LoadError, Loading } from '../components/LoadState';
import { useReloadable } from '../hooks/useReloadable';

export default function SchedulesPage() {
  const me = useMe();
  const canChange = hasAnyRole(me, CAN_TRIGGER);
  const { data: items, error, reload } = useReloadable(listSchedules, (err) =>
    err instanceof ApiError && err.status === 404
      ? 'This API does not offer schedules yet (GET /api/schedules answered 404).'
      : err instanceof Error
        ? err.message
        : String(err),
  );
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function act(schedule: Schedule, what: 'pause' | 'unpause' | 'trigger') {
    const id = schedule.id;
    setMessage(null);
    if (!id) {
      setActionError(`Could not ${what} the schedule: the API sent it without an id.`);
      return;
    }
    setBusy(`${id}:${what}`);
    setActionError(null);
    try {
      if (what === 'trigger') {
        await triggerSchedule(id);
        setMessage(`Schedule ${id} triggered: its run starts shortly.`);
      } else {
        await pauseSchedule(id, what === 'pause', `${what}d from the web UI by ${me.username}`);
        setMessage(`Schedule ${id} ${what === 'pause' ? 'paused' : 'resumed'}.`);
      }
      reload();
    } catch (err) {
      setActionError(`Could not ${what} ${id}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="page" aria-labelledby="schedules-title">
      <div className="page-header">
        <div>
          <h1 id="schedules-title">Schedules</h1>
          <p className="muted">Retraining schedules: each action starts a run on the days before it.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="button button-secondary" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>
      <div role="status" className="status-slot">
        {message && <p className="notice notice-ok">{message}</p>}
      </div>
      {actionError && (
        <div className="error" role="alert">
          <p>{actionError}</p>
        </div>
      )}
      {error && <LoadError what="schedules" error={error} />}
      {!items && !error && <Loading what="schedules" />}
      {items && items.length === 0 && <p className="empty">No schedules yet.</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Retraining schedules</caption>
            <thead>
              <tr>
                <th scope="col">Schedule</th>
                <th scope="col">When</th>
                <th scope="col">Model</th>
                <th scope="col">State</th>
                <th scope="col">Next runs</th>
                <th scope="col">Recent runs</th>
                {canChange && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <code>{s.id}</code>
                    {s.description && <div className="muted small">{s.description}</div>}
                    <div className="muted small">by {s.createdBy}</div>
                  </th>
                  <td>
                    <code>{s.cron}</code> ({s.timezone})
                    <div className="muted small">{s.windowDays}-day window</div>
                  </td>
                  <td>
                    {s.run?.modelFamily ?? '–'}
                    {s.run?.modelName && <div className="muted small">{s.run.modelName}</div>}
                  </td>
                  <td>
                    <span className={`pill pill-${s.paused ? 'neutral' : 'ok'}`}>{s.paused ? 'paused' : 'active'}</span>
                    {s.note && <div className="muted small">{s.note}</div>}
                  </td>
                  <td className="small">
                    {!s.nextRuns?.length
                      ? '–'
                      : s.nextRuns.slice(0, 3).map((t) => <div key={t}>{formatLocalDateTime(t)}</div>)}
                  </td>
                  <td className="small">
                    {!s.recentActions?.length
                      ? '–'
                      : [...s.recentActions]
                          .reverse()
                          .slice(0, 3)
                          .map((a) => (
                            <div key={a.workflowId}>
                              {a.runId ? (
                                <a href={href(`/runs/${encodeURIComponent(a.runId)}`)}>
                                  <code>{a.runId}</code>
                                </a>
                              ) : (
                                <code>{a.workflowId}</code>
                              )}{' '}
                              <span className="muted">{formatLocalDateTime(a.startedAt)}</span>
                            </div>
                          ))}
                  </td>
                  {canChange && (
                    <td>
                      <div className="form-actions">
                        <button
                          type="button"
                          className="button button-secondary"
                          disabled={busy !== null}
                          aria-label={`${s.paused ? 'Resume' : 'Pause'} ${s.id}`}
                          onClick={() => void act(s, s.paused ? 'unpause' : 'pause')}
                        >
                          {s.paused ? 'Resume' : 'Pause'}
                        </button>
                        <button
                          type="button"
                          className="button button-secondary"
                          disabled={busy !== null}
                          aria-label={`Trigger ${s.id} now`}
                          onClick={() => void act(s, 'trigger')}
                        >
                          Trigger now
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
