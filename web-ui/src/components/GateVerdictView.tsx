import type { GateVerdict } from '../api/runs';
import { formatScore } from '../format';

export default function GateVerdictView({ gate }: { gate: GateVerdict }) {
  return (
    <div className={`verdict ${gate.passed ? 'verdict-ok' : 'verdict-bad'}`}>
      <p className="verdict-title">
        <strong>{gate.passed ? 'Gate passed' : 'Gate failed'}</strong> · WR@{gate.k} candidate{' '}
        {formatScore(gate.candidateWeightedRecall)}
        {gate.championWeightedRecall != null ? ` vs champion ${formatScore(gate.championWeightedRecall)}` : ' (no champion)'}
      </p>
      {gate.failures.length > 0 && (
        <>
          <h4 className="verdict-heading">Failed checks</h4>
          <ul className="checks checks-bad">
            {gate.failures.map((f) => (
              <li key={f}>
                <span aria-hidden="true">✗ </span>
                {f}
              </li>
            ))}
          </ul>
        </>
      )}
      {gate.passedChecks.length > 0 && (
        <>
          <h4 className="verdict-heading">Passed checks</h4>
          <ul className="checks checks-ok">
            {gate.passedChecks.map((c) => (
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
