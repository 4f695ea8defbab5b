import { useCallback, useId, useState } from 'react';
import { fetchApprovals, type ApprovalPlan, type PendingApproval } from '../api/approvals';
import { ApiError } from '../api/http';
import { decideRun, type RunSummary } from '../api/runs';
import { useMe } from '../auth/AuthContext';
import { RegionBars, WrAtKChart } from '../charts/Charts';
import ErrorBoundary from '../components/ErrorBoundary';
import GateVerdictView from '../components/GateVerdictView';
import ScoresTable from '../components/ScoresTable';
import { formatDuration, formatLocalDateTime, formatMillis, formatPlain, formatSteps, gateMetricLabel, isFiniteNumber } from '../format';
import { href } from '../router';
import { LoadError, Loading } from '../components/LoadState';
import { useReloadable } from '../hooks/useReloadable';

/** What a refused decision means, in words for the person who tried. */
export function refusalMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = err.body?.detail ?? err.message;
    if (err.status === 403) {
      return detail.startsWith('four-eyes')
        ? `You cannot decide on a run you triggered yourself (four-eyes rule). Ask another release manager. (${detail})`
        : `Your role does not allow this decision: ${detail}.`;
    }
    if (err.status === 409) return `The decision was refused: ${detail}.`;
    return detail;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * What Approve will do, in one sentence; null when the API sent no plan (runs started before it
 * existed) or one the UI does not know.
 */
export function planSentence(plan: ApprovalPlan | null | undefined, registeredVersion?: string | null): string | null {
  if (!plan || typeof plan !== 'object') return null;
  const champion = plan.championVersion ? `v${plan.championVersion}` : null;
  if (plan.action === 'CANARY') {
    const parts = [`${formatSteps(plan.stepsPercent)} of buyers`];
    if (isFiniteNumber(plan.bakeSeconds)) parts.push(`${formatDuration(plan.bakeSeconds)} bakes`);
    if (isFiniteNumber(plan.minUsersPerArm)) parts.push(`at least ${formatPlain(plan.minUsersPerArm, 0)} users per arm`);
    const against = champion
      ? `judged against champion ${champion}`
      : "judged against the baseline (today's order: no champion yet)";
    const steps = Array.isArray(plan.stepsPercent) && plan.stepsPercent.length > 0;
    return `Approve starts a canary: ${(steps ? parts : parts.slice(1)).concat(against).join(', ')}.`;
  }
  if (plan.action === 'PROMOTE') {
    const version = plan.candidateVersion ?? registeredVersion;
    const candidate = version ? `v${version}` : 'the candidate';
    return `Approve makes ${candidate} champion now (${champion ? `replacing ${champion}` : 'the first champion'}).`;
  }
  return null;
}

/**
 * The policy the run is judged by: its own gate, and the platform's floor (which an admin sets and a
 * run may only tighten); null when the API sent neither.
 */
export function policySentence(plan: ApprovalPlan | null | undefined): string | null {
  if (!plan || typeof plan !== 'object') return null;
  const parts: string[] = [];
  const gate = plan.gate;
  if (gate && isFiniteNumber(gate.minWeightedRecall)) {
    let rule = `gate: ${gateMetricLabel(gate.metric, gate.k)} at least ${formatPlain(gate.minWeightedRecall, 2)}`;
    if (isFiniteNumber(gate.maxRegression)) {
      rule += `, at most ${formatPlain(gate.maxRegression * 100, 1)} % below the champion`;
    }
    parts.push(rule);
  }
  const floor = plan.floor;
  if (floor && isFiniteNumber(floor.minWeightedRecall)) {
    const canary = [
      isFiniteNumber(floor.minBakeSeconds) ? `bakes of at least ${formatDuration(floor.minBakeSeconds)}` : null,
      isFiniteNumber(floor.minUsersPerArm) ? `${formatPlain(floor.minUsersPerArm, 0)}+ users per arm` : null,
      isFiniteNumber(floor.maxFirstStepPercent) ? `a first step of at most ${formatPlain(floor.maxFirstStepPercent, 0)} %` : null,
    ].filter((x): x is string => x !== null);
    const ks = [
      isFiniteNumber(floor.maxK) ? `WR@${floor.maxK}` : null,
      isFiniteNumber(floor.maxPrerankK) ? `pre-rank WR@${floor.maxPrerankK}` : null,
    ].filter((x): x is string => x !== null);
    const k = ks.length ? `${ks.join(' or ')} (or a smaller K)` : 'WR@K';
    parts.push(
      `platform floor: ${k} at least ${formatPlain(floor.minWeightedRecall, 2)}` +
        (canary.length ? `; canaries with ${canary.join(', ')}` : '') +
        (floor.requireCanary ? '; every run goes through a canary' : ''),
    );
  }
  return parts.length ? `Judged by the ${parts.join('; ')}.` : null;
}

interface ApprovalCardProps {
  item: PendingApproval;
  /** item.run, which has an id (the list shows no card for one without). */
  run: RunSummary & { id: string };
  onDecided: (message: string) => void;
}

function ApprovalCard({ item, run, onDecided }: ApprovalCardProps) {
  const me = useMe();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [commentMissing, setCommentMissing] = useState(false);
  const commentId = useId();
  const errorId = useId();
  const planId = useId();
  const k = item.gate?.k ?? 10;
  const series = item.gate?.metric === 'prerank_wr' && item.candidate?.prerankWeightedRecallAtK ? 'prerank' : 'displayed';
  const ownRun = run.triggeredBy === me.username;
  const plan = planSentence(item.plan, item.registered?.version);
  const policy = policySentence(item.plan);

  async function decide(approved: boolean) {
    if (!approved && !comment.trim()) {
      setError('A rejection needs a comment: say why the candidate should not ship.');
      setCommentMissing(true);
      document.getElementById(commentId)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setCommentMissing(false);
    try {
      await decideRun(run.id, approved, comment);
      onDecided(`${approved ? 'Approved' : 'Rejected'} run ${run.id}${item.registered ? ` (${item.registered.modelName} v${item.registered.version})` : ''}.`);
    } catch (err) {
      setError(refusalMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const titleId = `approval-${run.id}`;
  return (
    <article className="panel approval" aria-labelledby={titleId}>
      <header className="approval-header">
        <h2 id={titleId}>
          <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>
            <code>{run.id}</code>
          </a>{' '}
          {item.registered && (
            <span className="muted">
              {item.registered.modelName} v{item.registered.version}
              {item.registered.alias ? ` (${item.registered.alias})` : ' (awaiting approval: not served)'}
            </span>
          )}
        </h2>
        <p className="muted">
          {run.modelFamily} · window {run.windowStart} → {run.windowEnd} · triggered by {run.triggeredBy} ({run.trigger}) on{' '}
          {formatLocalDateTime(run.createdAt)}
          {item.deadlineMillis != null && <> · decide before {formatMillis(item.deadlineMillis)}</>}
          {item.fusion && <> · fusion {item.fusion}</>}
        </p>
      </header>

      {item.candidate ? (
        <div className="approval-body">
          <ScoresTable
            candidate={item.candidate}
            champion={item.champion}
            k={k}
            series={series}
            caption={item.champion ? 'Evaluation: candidate vs champion (same test split)' : 'Evaluation: candidate (no champion yet)'}
          />
          <div className="chart-grid">
            <WrAtKChart series={series} candidate={item.candidate} champion={item.champion} />
            <RegionBars series={series} k={k} candidate={item.candidate} champion={item.champion} />
          </div>
        </div>
      ) : (
        <p className="muted">The evaluation report of this run is not available.</p>
      )}
      {item.gate && <GateVerdictView gate={item.gate} />}

      <form className="decision" onSubmit={(e) => e.preventDefault()} aria-label={`Decision on ${run.id}`}>
        {plan && (
          <p className="notice approval-plan" id={planId}>
            {plan}
          </p>
        )}
        {policy && <p className="muted approval-policy">{policy}</p>}
        {ownRun && (
          <p className="notice">You triggered this run: the four-eyes rule lets another release manager decide.</p>
        )}
        <div className={commentMissing ? 'field field-invalid' : 'field'}>
          <label htmlFor={commentId}>Comment (required to reject)</label>
          <textarea
            id={commentId}
            rows={2}
            value={comment}
            maxLength={2000}
            onChange={(e) => setComment(e.target.value)}
            aria-invalid={commentMissing ? true : undefined}
            aria-describedby={commentMissing ? errorId : undefined}
          />
        </div>
        {error && (
          <div className="error" role="alert" id={errorId}>
            <p>{error}</p>
          </div>
        )}
        <div className="form-actions">
          <button
            type="button"
            className="button button-ok"
            disabled={busy}
            aria-describedby={plan ? planId : undefined}
            onClick={() => void decide(true)}
          >
            Approve
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void decide(false)}>
            Reject
          </button>
        </div>
      </form>
    </article>
  );
}

export default function ApprovalsPage() {
  const { data: items, error, reload } = useReloadable(fetchApprovals);
  const [message, setMessage] = useState<string | null>(null);

  const onDecided = useCallback(
    (text: string) => {
      setMessage(text);
      reload();
    },
    [reload],
  );

  return (
    <section className="page" aria-labelledby="approvals-title">
      <div className="page-header">
        <div>
          <h1 id="approvals-title">Approvals</h1>
          <p className="muted">Candidates that passed the gate and wait for a release manager, oldest first.</p>
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
      {error && <LoadError what="approvals" error={error} />}
      {!items && !error && <Loading what="approvals" />}
      {items && items.length === 0 && <p className="empty">Nothing awaits approval.</p>}
      {items?.map((item, i) => {
        const run = item?.run;
        return (
          <ErrorBoundary key={run?.id ?? i} name={`Approval card for ${run?.id ?? 'a run'}`} resetKeys={[item]}>
            {run?.id ? (
              <ApprovalCard item={item} run={{ ...run, id: run.id }} onDecided={onDecided} />
            ) : (
              <p className="error">The API listed an approval without its run; it cannot be decided here.</p>
            )}
          </ErrorBoundary>
        );
      })}
    </section>
  );
}
