import { ksOf, type MaybeScores } from '../charts/Charts';
import { formatDelta, formatScore } from '../format';

/** Candidate and champion side by side: WR@K per K, AUC per task, per-region WR@K at the gate's K. */
export default function ScoresTable({
  candidate,
  champion,
  k,
  caption,
}: {
  candidate: MaybeScores;
  champion: MaybeScores;
  k: number;
  caption: string;
}) {
  const rows: { label: string; c: number | null | undefined; ch: number | null | undefined }[] = [];
  for (const kk of ksOf(candidate, champion)) {
    rows.push({ label: `WR@${kk}`, c: candidate?.weightedRecallAtK?.[String(kk)], ch: champion?.weightedRecallAtK?.[String(kk)] });
  }
  for (const task of Object.keys(candidate?.auc ?? {}).sort()) {
    rows.push({ label: `AUC ${task}`, c: candidate?.auc?.[task], ch: champion?.auc?.[task] });
  }
  for (const region of Object.keys(candidate?.regionWeightedRecallAtK ?? {}).sort()) {
    rows.push({
      label: `${region} WR@${k}`,
      c: candidate?.regionWeightedRecallAtK?.[region]?.[String(k)],
      ch: champion?.regionWeightedRecallAtK?.[region]?.[String(k)],
    });
  }
  return (
    <table className="table table-compact scores">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Candidate</th>
          <th scope="col">Champion</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const delta = formatDelta(r.c, r.ch);
          return (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{formatScore(r.c)}</td>
              <td>{champion ? formatScore(r.ch) : 'no champion'}</td>
              <td className={delta.startsWith('-') ? 'delta-down' : delta.startsWith('+') ? 'delta-up' : undefined}>{delta}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
