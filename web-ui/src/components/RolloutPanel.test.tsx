import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROLLOUT_BASELINE_NAN, ROLLOUT_VS_CHAMPION } from '../test/runFixtures';
import RolloutPanel, { judgedAgainst, referenceLabel } from './RolloutPanel';

// One judged step at 25 % against champion v3 (the shared fixture).
const ROLLOUT = ROLLOUT_VS_CHAMPION;

function respond(body: unknown, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

describe('RolloutPanel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the traffic and every decision with its numbers', async () => {
    vi.stubGlobal('fetch', vi.fn(() => respond(ROLLOUT)));
    render(<RolloutPanel runId="run-1" canControl={false} />);

    expect(await screen.findByText('25 %')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Canary decisions' });
    expect(table).toHaveTextContent('continue');
    expect(table).toHaveTextContent('(500)');
    expect(table).toHaveTextContent('0.41');
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
  });

  it('lets a release manager pause with a reason and shows a refusal', async () => {
    const fetchMock = vi
      .fn()
      .mockImplementationOnce(() => respond(ROLLOUT))
      .mockImplementationOnce(() => respond({ ...ROLLOUT, paused: true }, 202))
      .mockImplementationOnce(() => respond({ status: 409, title: 'conflict', detail: 'the rollout of run run-1 has ended' }, 409));
    vi.stubGlobal('fetch', fetchMock);
    render(<RolloutPanel runId="run-1" canControl />);

    await userEvent.type(await screen.findByLabelText(/Reason/), 'checkout incident');
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(screen.getByText('(paused)')).toBeInTheDocument());
    const [url, init] = fetchMock.mock.calls[1]!;
    expect(url).toBe('/api/runs/run-1/rollout/pause');
    expect(JSON.parse(String((init as RequestInit).body))).toEqual({ reason: 'checkout incident' });

    await userEvent.click(screen.getByRole('button', { name: 'Abort' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('has ended');
  });

  it('names the reference arm of each decision and says what the canary is judged against', async () => {
    vi.stubGlobal('fetch', vi.fn(() => respond(ROLLOUT_VS_CHAMPION)));
    render(<RolloutPanel runId="run-1" canControl={false} />);

    expect(await screen.findByText('Judged against champion v3.')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Canary decisions' });
    expect(table).toHaveTextContent('Orders/user reference (users)');
    expect(table).toHaveTextContent('Champion v3 0.3000 (9500)');
  });

  it('survives the first judged bake of a canary without champion, "NaN" strings included', async () => {
    vi.stubGlobal('fetch', vi.fn(() => respond(ROLLOUT_BASELINE_NAN)));
    render(<RolloutPanel runId="run-1" canControl />);

    expect(
      await screen.findByText("Judged against the baseline arm: buyers keep today's order (no champion yet)."),
    ).toBeInTheDocument();
    const row = screen.getByRole('table', { name: 'Canary decisions' }).querySelectorAll('tbody tr')[0]!;
    expect(row).toHaveTextContent('extend');
    expect(row).toHaveTextContent('Baseline (no champion yet) – (12)');
    expect(row.querySelectorAll('td')[4]).toHaveTextContent('–');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });

  it('labels older decisions that do not say what they were compared with', () => {
    expect(referenceLabel({})).toBe('Champion');
    expect(referenceLabel({ comparedWith: 'champion', championVersion: '3' })).toBe('Champion v3');
    expect(referenceLabel({ comparedWith: 'baseline', championVersion: null })).toBe('Baseline (no champion yet)');
    expect(judgedAgainst(undefined)).toBeNull();
    expect(judgedAgainst({})).toBeNull();
  });
});
