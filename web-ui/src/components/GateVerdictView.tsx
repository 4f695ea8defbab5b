import type { GateVerdict } from '../api/runs';
import { formatScore, gateMetricLabel } from '../format';

export default function GateVerdictView({ gate }: { gate: GateVerdict }) {
  const failures = gate.failures ?? [];
  const passedChecks = gate.passedChecks ?? [];
  return (
    <div className={`verdict ${gate.passed ? 'verdict-ok' : 'verdict-bad'}`}>
      <p className="verdict-title">
        <strong>{gate.passed ? 'Gate passed' : 'Gate failed'}</strong> · {gateMetricLabel(gate.metric, gate.k)} candidate{' '}
        {formatScore(gate.candidateWeightedRecall)}
        {gate.championWeightedRecall != null ? ` vs champion ${formatScore(gate.championWeightedRecall)}` : ' (no champion)'}
      </p>
      {failures.length > 0 && (
        <>
          <h4 className="verdict-heading">Failed checks</h4>
          <ul className="checks checks-bad">
            {failures.map((f) => (
              <li key={f}>
                <span aria-hidden="true">✗ </span>
                {f}
              </li>
            ))}
          </ul>
        </>
      )}
      {passedChecks.length > 0 && (
        <>
          <h4 className="verdict-heading">Passed checks</h4>
          <ul className="checks checks-ok">
            {passedChecks.map((c) => (
              <li key={c}>
                <span aria-hidden="true">✓ </span>
                {c}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
