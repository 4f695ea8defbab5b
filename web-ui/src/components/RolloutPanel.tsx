import { useCallback, useEffect, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { controlRollout, fetchRollout, type CanaryDecision, type RolloutControl, type RolloutStatus } from '../api/rollouts';
import { ChartFrame } from '../charts/Charts';
import { MISSING, formatNumber, formatPlain, formatScore, humanize } from '../format';

const REFRESH_MS = 5_000;

/** The arm a step was judged against: "Champion v3", or "Baseline (no champion yet)". */
export function referenceLabel(d: Pick<CanaryDecision, 'comparedWith' | 'championVersion'>): string {
  if (d.comparedWith === 'baseline') return 'Baseline (no champion yet)';
  return d.championVersion ? `Champion v${d.championVersion}` : 'Champion';
}

function timeOf(millis: unknown): string {
  const date = new Date(typeof millis === 'number' ? millis : Number.NaN);
  return Number.isNaN(date.getTime()) ? MISSING : date.toLocaleTimeString();
}

/** The panel's one line on what the canary is judged against (from its latest decision). */
export function judgedAgainst(d: Pick<CanaryDecision, 'comparedWith' | 'championVersion'> | undefined): string | null {
  if (!d || !d.comparedWith) return null;
  if (d.comparedWith === 'baseline') {
    return "Judged against the baseline arm: buyers keep today's order (no champion yet).";
  }
  return d.championVersion ? `Judged against champion v${d.championVersion}.` : 'Judged against the champion.';
}

/** The canary of an approved run: traffic over time, each step's decision, and the controls. */
export default function RolloutPanel({ runId, canControl }: { runId: string; canControl: boolean }) {
  const [rollout, setRollout] = useState<RolloutStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setRollout(await fetchRollout(runId, signal));
      setError(null);
    } catch (err) {
      if (!signal?.aborted) setError(err instanceof Error ? err.message : String(err));
    }
  }, [runId]);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    const timer = window.setInterval(() => void load(controller.signal), REFRESH_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [load]);

  const send = async (control: RolloutControl) => {
    setBusy(true);
    try {
      setRollout(await controlRollout(runId, control, reason));
      setError(null);
      setReason('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const decisions = Array.isArray(rollout?.decisions) ? rollout.decisions : [];
  // The traffic the candidate had at each judgement, then where it stands now (non-numbers are left out of the chart).
  const points = [
    ...decisions.map((d) => ({ at: timeOf(d.decidedAtMillis), percent: d.trafficPercent })),
    ...(rollout ? [{ at: 'now', percent: rollout.trafficPercent }] : []),
  ].map((p) => ({ ...p, percent: Number.isFinite(p.percent) ? p.percent : null }));
  const against = judgedAgainst(decisions.at(-1));
  const open = !!rollout && !rollout.outcome;

  return (
    <section className="panel" aria-labelledby="rollout-title">
      <h2 id="rollout-title">Canary rollout</h2>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {!rollout && !error && <p className="loading">Loading the rollout…</p>}
      {rollout && (
        <>
          <p>
            Version <code>{rollout.candidateVersion}</code>: candidate traffic{' '}
            <strong>{formatPlain(rollout.trafficPercent)} %</strong>
            {rollout.paused && <strong> (paused)</strong>}
            {rollout.outcome && (
              <>
                {' '}
                — <strong>{humanize(rollout.outcome)}</strong>
              </>
            )}
          </p>
          {against && <p className="muted">{against}</p>}
          <ChartFrame
            title="Candidate traffic (%)"
            table={
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Traffic %</th>
                  </tr>
                </thead>
                <tbody>
                  {points.map((p, i) => (
                    <tr key={i}>
                      <th scope="row">{p.at}</th>
                      <td>{formatPlain(p.percent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
            <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="at" />
              <YAxis domain={[0, 100]} />
              <Tooltip />
              <Line type="stepAfter" dataKey="percent" stroke="#2563eb" strokeWidth={2} isAnimationActive={false} />
            </LineChart>
          </ChartFrame>
          <table className="table" aria-label="Canary decisions">
            <thead>
              <tr>
                <th scope="col">Traffic</th>
                <th scope="col">Verdict</th>
                <th scope="col">Orders/user candidate (users)</th>
                <th scope="col">Orders/user reference (users)</th>
                <th scope="col">z</th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {decisions.length === 0 && (
                <tr>
                  <td colSpan={6}>No step judged yet.</td>
                </tr>
              )}
              {decisions.map((d, i) => (
                <tr key={i}>
                  <td>{formatPlain(d.trafficPercent)} %</td>
                  <td>{humanize(d.verdict)}</td>
                  <td>
                    {formatScore(d.candidateOrdersPerUser)} ({formatPlain(d.candidateUsers, 0)})
                  </td>
                  <td>
                    <span className="reference">{referenceLabel(d)}</span> {formatScore(d.championOrdersPerUser)} (
                    {formatPlain(d.championUsers, 0)})
                  </td>
                  <td>{formatNumber(d.zScore, 2)}</td>
                  <td>{Array.isArray(d.reasons) ? d.reasons.join('; ') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canControl && open && (
            <div className="field">
              <label htmlFor="rollout-reason">Reason (kept in the audit log)</label>
              <input id="rollout-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              <div className="page-actions">
                {rollout.paused ? (
                  <button type="button" className="button" disabled={busy} onClick={() => void send('resume')}>
                    Resume
                  </button>
                ) : (
                  <button type="button" className="button button-secondary" disabled={busy} onClick={() => void send('pause')}>
                    Pause
                  </button>
                )}
                <button type="button" className="button" disabled={busy} onClick={() => void send('promote')}>
                  Promote now
                </button>
                <button type="button" className="button button-danger" disabled={busy} onClick={() => void send('abort')}>
                  Abort
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
