import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { ADA, RITA, renderAs } from '../test/render';
import { PENDING, PLAN_CANARY, PLAN_PROMOTE, RUN_SUMMARY } from '../test/runFixtures';
import ApprovalsPage, { planSentence, policySentence } from './ApprovalsPage';

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

  it('says on the card what Approve will do', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(routeFetch({ 'GET /api/approvals': [() => jsonResponse([{ ...PENDING, plan: PLAN_CANARY }])] })),
    );
    renderAs(RITA, <ApprovalsPage />);
    const sentence =
      'Approve starts a canary: 5 → 25 → 50 → 100 % of buyers, 15 min bakes, at least 200 users per arm, judged against champion v3.';
    expect(await screen.findByText(sentence)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toHaveAccessibleDescription(sentence);
  });

  it('keeps a card without a plan (older runs) and the other cards when one fails to display', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = { ...PENDING, run: { ...PENDING.run, id: 'run-broken', modelFamily: { oops: true } }, plan: PLAN_PROMOTE };
    vi.stubGlobal('fetch', vi.fn(routeFetch({ 'GET /api/approvals': [() => jsonResponse([broken, { ...PENDING, plan: undefined }])] })));
    renderAs(RITA, <ApprovalsPage />);
    expect(await screen.findByText(/Approval card for run-broken failed to display/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).not.toHaveAccessibleDescription();
    expect(screen.queryByText(/^Approve (starts|makes)/)).not.toBeInTheDocument();
  });
});

describe('planSentence', () => {
  it('describes a canary against the champion or the baseline', () => {
    expect(planSentence({ ...PLAN_CANARY, championVersion: null })).toBe(
      "Approve starts a canary: 5 → 25 → 50 → 100 % of buyers, 15 min bakes, at least 200 users per arm, judged against the baseline (today's order: no champion yet).",
    );
    expect(planSentence({ ...PLAN_CANARY, bakeSeconds: 90 })).toContain('1 min 30 s bakes');
    expect(planSentence({ ...PLAN_CANARY, bakeSeconds: 15 })).toContain('15 s bakes');
    expect(planSentence({ ...PLAN_CANARY, bakeSeconds: 7200 })).toContain('2 h bakes');
    expect(planSentence({ ...PLAN_CANARY, stepsPercent: null, bakeSeconds: null, minUsersPerArm: null })).toBe(
      'Approve starts a canary: judged against champion v3.',
    );
  });

  it('describes a promotion, with or without a champion to replace', () => {
    expect(planSentence(PLAN_PROMOTE)).toBe('Approve makes v4 champion now (replacing v3).');
    expect(planSentence({ ...PLAN_PROMOTE, championVersion: null })).toBe('Approve makes v4 champion now (the first champion).');
    expect(planSentence({ ...PLAN_PROMOTE, candidateVersion: null }, '7')).toBe('Approve makes v7 champion now (replacing v3).');
  });

  it('says nothing without a plan it knows', () => {
    expect(planSentence(undefined)).toBeNull();
    expect(planSentence(null)).toBeNull();
    expect(planSentence({ ...PLAN_PROMOTE, action: 'SOMETHING_NEW' })).toBeNull();
  });
});

describe('policySentence', () => {
  it('states the run\'s gate and the platform floor it is held to', () => {
    const sentence = policySentence({
      ...PLAN_CANARY,
      gate: { k: 10, minWeightedRecall: 0.3, maxRegression: 0.02, regionFloors: {} },
      floor: {
        maxK: 10, minWeightedRecall: 0.1, maxRegression: 0.05, requireCanary: true, minBakeSeconds: 900,
        minUsersPerArm: 200, maxFirstStepPercent: 10, minSteps: 3, maxPrerankK: 100,
      },
    });
    expect(sentence).toContain('gate: WR@10 at least 0.3, at most 2 % below the champion');
    expect(sentence).toContain(
      'platform floor: WR@10 or pre-rank WR@100 (or a smaller K) at least 0.1; canaries with bakes of at least 15 min',
    );
    expect(sentence).toContain('every run goes through a canary');
  });

  it('names a pre-rank gate as such', () => {
    const sentence = policySentence({
      ...PLAN_CANARY,
      gate: { k: 100, minWeightedRecall: 0.5, maxRegression: 0.02, regionFloors: {}, metric: 'prerank_wr' },
    });
    expect(sentence).toContain('gate: pre-rank WR@100 at least 0.5');
  });

  it('says nothing when the API sent no policy', () => {
    expect(policySentence(PLAN_PROMOTE)).toBeNull();
    expect(policySentence(undefined)).toBeNull();
  });
});
