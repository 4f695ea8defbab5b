import type { EvaluationReport, ModelScores } from '../../api/runs';
import { RegionBars, WrAtKChart, wrByK } from '../../charts/Charts';
import { formatScore, gateMetricLabel } from '../../format';
import ScoresTable from '../ScoresTable';

/**
 * The offline evaluation on the test split: WR@K vs K (over the candidate set too, when the events
 * record candidate sets), per region at the gate's metric, the counterfactual estimate of online
 * orders, and the scores table.
 */
export default function EvaluationPanel({ evaluation, k, metric }: {
  evaluation: EvaluationReport;
  k: number;
  metric?: string | null;
}) {
  const prerank = wrByK(evaluation.candidate, 'prerank') !== undefined;
  const series = metric === 'prerank_wr' && prerank ? 'prerank' : 'displayed';
  return (
    <section className="panel" aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Evaluation</h2>
      <p className="muted">
        Test split; score fusion {evaluation.fusion}; the gate judges {gateMetricLabel(metric, k)}
        {evaluation.deadTasks && evaluation.deadTasks.length > 0 ? ` · dead tasks: ${evaluation.deadTasks.join(', ')}` : ''}.
      </p>
      <Counterfactual candidate={evaluation.candidate} champion={evaluation.champion} />
      <div className="chart-grid">
        {prerank && <WrAtKChart series="prerank" candidate={evaluation.candidate} champion={evaluation.champion} />}
        <WrAtKChart candidate={evaluation.candidate} champion={evaluation.champion} />
        <RegionBars series={series} k={k} candidate={evaluation.candidate} champion={evaluation.champion} />
      </div>
      <ScoresTable
        candidate={evaluation.candidate}
        champion={evaluation.champion}
        k={k}
        series={series}
        caption="Candidate vs champion"
      />
    </section>
  );
}

/** The IPS estimate of orders per request, beside what the logging pre-ranker earned. */
function Counterfactual({ candidate, champion }: { candidate: ModelScores | null | undefined; champion: ModelScores | null | undefined }) {
  const c = candidate?.counterfactual;
  if (!c) return null;
  const ch = champion?.counterfactual;
  return (
    <p className="counterfactual">
      Estimated orders per request online (self-normalised IPS over {c.nRequests ?? '–'} logged requests): candidate{' '}
      <strong>{formatScore(c.snips)}</strong> (95 % interval {formatScore(c.ci95Low)}–{formatScore(c.ci95High)})
      {ch ? `, champion ${formatScore(ch.snips)}` : ''}; the logging pre-ranker earned {formatScore(c.logged)}.
    </p>
  );
}
