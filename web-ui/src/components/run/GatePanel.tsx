import type { GateVerdict } from '../../api/runs';
import GateVerdictView from '../GateVerdictView';

/** The promotion gate's verdict on the candidate. */
export default function GatePanel({ gate }: { gate: GateVerdict }) {
  return (
    <section className="panel" aria-labelledby="gate-title">
      <h2 id="gate-title">Gate verdict</h2>
      <GateVerdictView gate={gate} />
    </section>
  );
}
