import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { ADA, RITA, renderAs } from '../test/render';
import { PENDING, RUN_SUMMARY } from '../test/runFixtures';
import ApprovalsPage from './ApprovalsPage';

const ID = RUN_SUMMARY.id;

describe('ApprovalsPage', () => {
  it('shows the evaluation side by side with the champion and approves', async () => {
    const fetchMock = vi.fn(
      routeFetch({
        'GET /api/approvals': [() => jsonResponse([PENDING]), () => jsonResponse([])],
        [`POST /api/runs/${ID}/decision`]: [() => jsonResponse({ step: 'DONE' })],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(RITA, <ApprovalsPage />);

    const table = await screen.findByRole('table', { name: /candidate vs champion/i });
    const row = screen.getByRole('rowheader', { name: 'WR@10' }).closest('tr')!;
    expect(row).toHaveTextContent('0.9697');
    expect(row).toHaveTextContent('0.9500');
    expect(row).toHaveTextContent('+2.07 %');
    expect(table).toHaveTextContent('US WR@10');
    expect(screen.getByText(/rankops-ranker v2/)).toBeInTheDocument();

    await user.type(screen.getByLabelText(/Comment/), 'looks good');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText(`Approved run ${ID} (rankops-ranker v2).`)).toBeInTheDocument();
    const call = fetchMock.mock.calls.find(([url]) => url === `/api/runs/${ID}/decision`)!;
    expect(JSON.parse(call[1]!.body as string)).toEqual({ approved: true, comment: 'looks good' });
    expect(await screen.findByText('Nothing awaits approval.')).toBeInTheDocument();
  });

  it('explains the four-eyes refusal (403) clearly', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'GET /api/approvals': [() => jsonResponse([{ ...PENDING, run: { ...PENDING.run, triggeredBy: 'ada' } }])],
          [`POST /api/runs/${ID}/decision`]: [
            () =>
              jsonResponse(
                {
                  status: 403,
                  title: 'forbidden',
                  detail: 'four-eyes rule: ada triggered this run and cannot approve or reject it',
                },
                403,
              ),
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    renderAs(ADA, <ApprovalsPage />);
    expect(await screen.findByText(/you triggered this run/i)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('You cannot decide on a run you triggered yourself (four-eyes rule)');
    expect(alert).toHaveTextContent('ada triggered this run and cannot approve or reject it');
  });

  it('asks for a comment before rejecting', async () => {
    const fetchMock = vi.fn(routeFetch({ 'GET /api/approvals': [() => jsonResponse([PENDING])] }));
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(RITA, <ApprovalsPage />);
    await user.click(await screen.findByRole('button', { name: 'Reject' }));
    expect(screen.getByRole('alert')).toHaveTextContent('A rejection needs a comment');
    expect(screen.getByLabelText(/Comment/)).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText(/Comment/)).toHaveFocus());
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
