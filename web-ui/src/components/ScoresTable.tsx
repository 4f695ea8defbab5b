import { ksOfSeries, regionWrByK, wrByK, type MaybeScores, type WrSeries } from '../charts/Charts';
import { formatDelta, formatScore } from '../format';

/**
 * Candidate and champion side by side: pre-rank WR@K per K (when the events record candidate sets),
 * WR@K of the displayed list per K, the counterfactual orders per request, AUC per task, and
 * per-region WR@K at the gate's K (of the gate's series).
 */
export default function ScoresTable({
  candidate,
  champion,
  k,
  caption,
  series = 'displayed',
}: {
  candidate: MaybeScores;
  champion: MaybeScores;
  k: number;
  caption: string;
  series?: WrSeries;
}) {
  const rows: { label: string; c: number | null | undefined; ch: number | null | undefined }[] = [];
  for (const kk of ksOfSeries('prerank', candidate, champion)) {
    rows.push({ label: `pre-rank WR@${kk}`, c: wrByK(candidate, 'prerank')?.[String(kk)], ch: wrByK(champion, 'prerank')?.[String(kk)] });
  }
  for (const kk of ksOfSeries('displayed', candidate, champion)) {
    rows.push({ label: `WR@${kk}`, c: candidate?.weightedRecallAtK?.[String(kk)], ch: champion?.weightedRecallAtK?.[String(kk)] });
  }
  if (candidate?.counterfactual) {
    rows.push({ label: 'orders/request (SNIPS)', c: candidate.counterfactual.snips, ch: champion?.counterfactual?.snips });
  }
  for (const task of Object.keys(candidate?.auc ?? {}).sort()) {
    rows.push({ label: `AUC ${task}`, c: candidate?.auc?.[task], ch: champion?.auc?.[task] });
  }
  const prefix = series === 'prerank' ? 'pre-rank ' : '';
  for (const region of Object.keys(regionWrByK(candidate, series) ?? {}).sort()) {
    rows.push({
      label: `${region} ${prefix}WR@${k}`,
      c: regionWrByK(candidate, series)?.[region]?.[String(k)],
      ch: regionWrByK(champion, series)?.[region]?.[String(k)],
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
