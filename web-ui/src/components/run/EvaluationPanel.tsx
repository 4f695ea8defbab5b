import type { EvaluationReport } from '../../api/runs';
import { RegionBars, WrAtKChart } from '../../charts/Charts';
import ScoresTable from '../ScoresTable';

/** The offline evaluation on the test split: WR@K vs K, per region, and the scores table. */
export default function EvaluationPanel({ evaluation, k }: { evaluation: EvaluationReport; k: number }) {
  return (
    <section className="panel" aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Evaluation</h2>
      <p className="muted">
        Test split; score fusion {evaluation.fusion}
        {evaluation.deadTasks && evaluation.deadTasks.length > 0 ? ` · dead tasks: ${evaluation.deadTasks.join(', ')}` : ''}.
      </p>
      <div className="chart-grid">
        <WrAtKChart candidate={evaluation.candidate} champion={evaluation.champion} />
        <RegionBars k={k} candidate={evaluation.candidate} champion={evaluation.champion} />
      </div>
      <ScoresTable candidate={evaluation.candidate} champion={evaluation.champion} k={k} caption="Candidate vs champion" />
    </section>
  );
}
