import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AlignmentChart, metricsByTau, type AlignmentResult } from './AlignmentChart';
import committed from './prerankAlignment.json';

const RESULT: AlignmentResult = {
  online: 'expected orders per request',
  command: 'python bench/prerank.py summarize',
  metrics: {
    'displayed_wr@10': { pearson: 0.41, pearson_ci95: [0.1, 0.6], kendall_tau: 0.3, kendall_tau_ci95: [0.05, 0.5], n_models: 3 },
    'prerank_wr@80': { pearson: 0.93, pearson_ci95: [0.8, 0.97], kendall_tau: 0.82, kendall_tau_ci95: [0.7, 0.9], n_models: 3 },
  },
  points: [
    { model: 'a', online_orders_per_request: 0.06, 'prerank_wr@80': 0.97, 'displayed_wr@10': 0.84 },
    { model: 'b', online_orders_per_request: 0.061, 'prerank_wr@80': 0.98, 'displayed_wr@10': 0.83 },
    { model: 'c', online_orders_per_request: 0.059, 'prerank_wr@80': 0.96, 'displayed_wr@10': 0.85 },
  ],
};

describe('AlignmentChart', () => {
  it('lists the metrics best aligned first and starts on the pre-rank gate metric', () => {
    expect(metricsByTau(RESULT)).toEqual(['prerank_wr@80', 'displayed_wr@10']);
    render(<AlignmentChart result={RESULT} />);
    expect(screen.getByText(/Kendall τ 0\.820 \[0\.70, 0\.90\] · Pearson 0\.930/)).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows.map((r) => within(r).queryByRole('rowheader')?.textContent)).toEqual([
      undefined,
      'prerank_wr@80',
      'displayed_wr@10',
    ]);
  });

  it('switches the plotted metric', async () => {
    render(<AlignmentChart result={RESULT} />);
    await userEvent.selectOptions(screen.getByLabelText('Offline metric'), 'displayed_wr@10');
    expect(screen.getByText(/Kendall τ 0\.300 \[0\.05, 0\.50\]/)).toBeInTheDocument();
    expect(screen.getByText('displayed_wr@10 (offline) vs online orders per request, one dot per model')).toBeInTheDocument();
  });

  it('reads the committed benchmark result', () => {
    const result = committed as AlignmentResult;
    expect(Object.keys(result.metrics).length).toBeGreaterThan(0);
    expect(result.points.length).toBeGreaterThanOrEqual(20);
  });
});
