import type { ReactElement, ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ModelScores } from '../api/runs';
import { formatNumber, formatScore } from '../format';

const COLORS = ['#2947a8', '#c2410c', '#15803d', '#7c3aed', '#0e7490', '#a16207', '#be185d'];
const CANDIDATE = '#2947a8';
const CHAMPION = '#c2410c';
const HEIGHT = 260;
const INITIAL = { width: 560, height: HEIGHT };
const UNIT_TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Axis ticks: two decimals, "–" for anything that is not a finite number. */
export const tick = (v: unknown): string => formatNumber(v, 2);
/** Tooltip values: four decimals, "–" for anything that is not a finite number. */
export const tooltipValue = (v: unknown): string => formatNumber(v, 4);

export function ChartFrame({ title, children, table }: { title: string; children: ReactElement; table: ReactNode }) {
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div className="chart-canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
          {children}
        </ResponsiveContainer>
      </div>
      <details className="chart-data">
        <summary>Data table</summary>
        {table}
      </details>
    </figure>
  );
}

/** A report's scores; null or missing for a champion that does not exist (or a report without them). */
export type MaybeScores = ModelScores | null | undefined;

/** Which WR@K a view shows: over the displayed list (the default) or the whole candidate set. */
export type WrSeries = 'displayed' | 'prerank';

/** K -> WR@K of one series; undefined when the report has none (events without candidate sets). */
export function wrByK(s: MaybeScores, series: WrSeries = 'displayed'): Record<string, number | null> | undefined {
  return (series === 'prerank' ? s?.prerankWeightedRecallAtK : s?.weightedRecallAtK) ?? undefined;
}

/** Region -> K -> WR@K of one series. */
export function regionWrByK(
  s: MaybeScores,
  series: WrSeries = 'displayed',
): Record<string, Record<string, number | null>> | undefined {
  return (series === 'prerank' ? s?.regionPrerankWeightedRecallAtK : s?.regionWeightedRecallAtK) ?? undefined;
}

/** Sorted numeric Ks present in either score set. */
export function ksOf(...scores: MaybeScores[]): number[] {
  return ksOfSeries('displayed', ...scores);
}

export function ksOfSeries(series: WrSeries, ...scores: MaybeScores[]): number[] {
  const ks = new Set<number>();
  for (const s of scores) for (const k of Object.keys(wrByK(s, series) ?? {})) ks.add(Number(k));
  return [...ks].filter(Number.isFinite).sort((a, b) => a - b);
}

/** WR@K for every reported K: candidate vs champion. */
export function WrAtKChart({ candidate, champion, series = 'displayed' }: {
  candidate: MaybeScores;
  champion: MaybeScores;
  series?: WrSeries;
}) {
  const data = ksOfSeries(series, candidate, champion).map((k) => ({
    k,
    candidate: wrByK(candidate, series)?.[String(k)] ?? null,
    champion: wrByK(champion, series)?.[String(k)] ?? null,
  }));
  const name = series === 'prerank' ? 'Pre-rank WR@K (candidate set)' : 'WR@K (displayed list)';
  return (
    <ChartFrame
      title={champion ? `${name} vs K: candidate and champion` : `${name} vs K: candidate (no champion yet)`}
      table={<CandidateChampionTable label="K" rows={data.map((row) => ({ ...row, key: String(row.k) }))} />}
    >
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="k" type="number" domain={['dataMin', 'dataMax']} ticks={data.map((d) => d.k)} label={{ value: 'K', position: 'insideBottomRight', offset: -4 }} />
        <YAxis domain={[0, 1]} ticks={UNIT_TICKS} tickFormatter={tick} />
        <Tooltip formatter={tooltipValue} />
        <Legend />
        <Line type="monotone" dataKey="candidate" name="candidate" stroke={CANDIDATE} strokeWidth={2} isAnimationActive={false} connectNulls />
        {champion && (
          <Line type="monotone" dataKey="champion" name="champion" stroke={CHAMPION} strokeWidth={2} strokeDasharray="6 3" isAnimationActive={false} connectNulls />
        )}
      </LineChart>
    </ChartFrame>
  );
}

/** The data table behind a candidate-vs-champion chart, one row per K or region. */
function CandidateChampionTable({ label, rows }: {
  label: string;
  rows: { key: string; candidate: number | null | undefined; champion: number | null | undefined }[];
}) {
  return (
    <table className="table table-compact">
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col">Candidate</th>
          <th scope="col">Champion</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.key}</th>
            <td>{formatScore(row.candidate)}</td>
            <td>{formatScore(row.champion)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** WR@K per region at one K: candidate (and champion) bars. */
export function RegionBars({ k, candidate, champion, series = 'displayed' }: {
  k: number;
  candidate: MaybeScores;
  champion: MaybeScores;
  series?: WrSeries;
}) {
  const regions = Object.keys(regionWrByK(candidate, series) ?? {}).sort();
  const data = regions.map((region) => ({
    region,
    candidate: regionWrByK(candidate, series)?.[region]?.[String(k)] ?? null,
    champion: regionWrByK(champion, series)?.[region]?.[String(k)] ?? null,
  }));
  if (data.length === 0) return <p className="muted">No per-region scores in the report.</p>;
  return (
    <ChartFrame
      title={`${series === 'prerank' ? 'Pre-rank ' : ''}WR@${k} per region`}
      table={<CandidateChampionTable label="Region" rows={data.map((row) => ({ ...row, key: row.region }))} />}
    >
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="region" />
        <YAxis domain={[0, 1]} ticks={UNIT_TICKS} tickFormatter={tick} />
        <Tooltip formatter={tooltipValue} />
        <Legend />
        <Bar dataKey="candidate" name="candidate" fill={CANDIDATE} isAnimationActive={false} />
        {champion && <Bar dataKey="champion" name="champion" fill={CHAMPION} isAnimationActive={false} />}
      </BarChart>
    </ChartFrame>
  );
}

export interface EpochPoint {
  /** Fractional epoch: progress × epochs (end-of-epoch samples are whole numbers). */
  epoch: number;
  [metric: string]: number;
}

/** Per-epoch curves of the given metric keys. */
export function MetricCurves({ title, points, metrics }: { title: string; points: EpochPoint[]; metrics: string[] }) {
  const shown = metrics.filter((m) => points.some((p) => typeof p[m] === 'number'));
  if (shown.length === 0) return null;
  const maxEpoch = Math.max(1, Math.ceil(Math.max(...points.map((p) => p.epoch))));
  return (
    <ChartFrame
      title={title}
      table={
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Epoch</th>
              {shown.map((m) => (
                <th scope="col" key={m}>
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.epoch}>
                <th scope="row">{formatNumber(p.epoch, 2)}</th>
                {shown.map((m) => (
                  <td key={m}>{formatScore(p[m])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="epoch"
          type="number"
          domain={[0, maxEpoch]}
          ticks={Array.from({ length: maxEpoch + 1 }, (_, i) => i)}
          label={{ value: 'epoch', position: 'insideBottomRight', offset: -4 }}
        />
        <YAxis tickFormatter={tick} />
        <Tooltip formatter={tooltipValue} labelFormatter={(v) => `epoch ${formatNumber(Number(v), 2)}`} />
        <Legend />
        {shown.map((m, i) => (
          <Line key={m} type="monotone" dataKey={m} stroke={COLORS[i % COLORS.length]} strokeWidth={2} dot isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
