import { useId, useState } from 'react';
import { CartesianGrid, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../format';
import { ChartFrame, tick, tooltipValue } from './Charts';
import benchmark from './prerankAlignment.json';

/**
 * The offline ↔ online alignment benchmark (services/trainer/bench/prerank.py, docs/benchmarks.md):
 * one dot per model of the zoo, an offline metric against the online orders per request it earned.
 * The data is the committed benchmark result, written by `bench/prerank.py summarize`.
 */
export interface AlignmentStats {
  pearson: number;
  /** [low, high] */
  pearson_ci95: number[];
  kendall_tau: number;
  /** [low, high] */
  kendall_tau_ci95: number[];
  n_models: number;
}

export interface AlignmentResult {
  online: string;
  command: string;
  metrics: Record<string, AlignmentStats>;
  /** One per model: its name, the online value and every offline metric. */
  points: ({ model: string; online_orders_per_request: number } & Record<string, number | string>)[];
}

const COLOR = '#2947a8';

/** Metrics best aligned first (by Kendall τ). */
export function metricsByTau(result: AlignmentResult): string[] {
  return Object.entries(result.metrics)
    .sort(([, a], [, b]) => b.kendall_tau - a.kendall_tau)
    .map(([name]) => name);
}

function interval([low, high]: number[]): string {
  return `[${formatNumber(low, 2)}, ${formatNumber(high, 2)}]`;
}

export function AlignmentChart({ result = benchmark as AlignmentResult }: { result?: AlignmentResult }) {
  const names = metricsByTau(result);
  const [metric, setMetric] = useState(names.includes('prerank_wr@80') ? 'prerank_wr@80' : (names[0] ?? ''));
  const selectId = useId();
  if (names.length === 0) return <p className="muted">No alignment benchmark result.</p>;
  const stats = result.metrics[metric];
  const data = result.points
    .map((p) => ({ model: p.model, x: Number(p[metric]), y: p.online_orders_per_request }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  return (
    <div>
      <div className="field">
        <label htmlFor={selectId}>Offline metric</label>
        <select id={selectId} value={metric} onChange={(e) => setMetric(e.target.value)}>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {stats && (
        <p>
          Kendall τ {formatNumber(stats.kendall_tau, 3)} {interval(stats.kendall_tau_ci95)} · Pearson{' '}
          {formatNumber(stats.pearson, 3)} {interval(stats.pearson_ci95)} over {stats.n_models} models
        </p>
      )}
      <ChartFrame
        title={`${metric} (offline) vs online orders per request, one dot per model`}
        table={
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Kendall τ [95 % CI]</th>
                <th scope="col">Pearson [95 % CI]</th>
              </tr>
            </thead>
            <tbody>
              {names.map((name) => {
                const s = result.metrics[name]!;
                return (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>
                      {formatNumber(s.kendall_tau, 3)} {interval(s.kendall_tau_ci95)}
                    </td>
                    <td>
                      {formatNumber(s.pearson, 3)} {interval(s.pearson_ci95)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        }
      >
        <ScatterChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" name={metric} domain={['auto', 'auto']} tickFormatter={tick} />
          <YAxis dataKey="y" type="number" name="online orders / request" domain={['auto', 'auto']} tickFormatter={(v: unknown) => formatNumber(v, 3)} />
          <Tooltip formatter={tooltipValue} />
          <Scatter data={data} fill={COLOR} isAnimationActive={false} />
        </ScatterChart>
      </ChartFrame>
      <p className="muted small">
        Online: {result.online}. Reproduce: <code>{result.command}</code>
      </p>
    </div>
  );
}
