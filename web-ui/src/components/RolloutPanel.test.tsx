import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RolloutPanel from './RolloutPanel';

const ROLLOUT = {
  runId: 'run-1',
  candidateVersion: '7',
  trafficPercent: 25,
  paused: false,
  outcome: null,
  decisions: [
    {
      trafficPercent: 5,
      verdict: 'CONTINUE',
      reasons: ['no significant harm: orders/user 0.31 vs champion 0.30'],
      championOrdersPerUser: 0.3,
      candidateOrdersPerUser: 0.31,
      championUsers: 9500,
      candidateUsers: 500,
      zScore: 0.41,
      decidedAtMillis: 1_700_000_000_000,
    },
  ],
};

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
});
