import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addSample } from '../hooks/useRunEvents';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { ERIN, RITA, renderAs } from '../test/render';
import {
  FakeEventSource,
  NO_METRICS,
  RUN_AWAITING,
  RUN_METRICS,
  RUN_SUMMARY,
  ROLLOUT_BASELINE_NAN,
  RUN_TRAINING,
  progressEvent,
} from '../test/runFixtures';
import type { RunDetail, RunStep } from '../api/runs';
import { epochPoints, overallProgress } from '../hooks/useRunDetail';
import RunDetailPage from './RunDetailPage';

const ID = RUN_SUMMARY.id;
const METRICS = `GET /api/runs/${ID}/metrics`;
const ROLLOUT = `GET /api/runs/${ID}/rollout`;

/** RUN_AWAITING after approval, in its canary (a rollout step started). */
function inCanary(): RunDetail {
  const run = structuredClone(RUN_AWAITING);
  run.run = { ...run.run, status: 'APPROVED', currentStep: 'rollout' };
  const started: RunStep = { sequence: 12, step: 'rollout', status: 'started', detail: {}, occurredAt: '2026-11-23T12:46:00.000Z' };
  run.steps = [...run.steps, started];
  return run;
}

function figure(title: string) {
  return screen.getByText(title).closest('figure') as HTMLElement;
}

function stepItems() {
  return within(screen.getByRole('list', { name: 'Pipeline steps' })).getAllByRole('listitem');
}

/** Answers the run page's two reads: the run and its MLflow metric history. */
function serveRun(run: unknown, metrics: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(routeFetch({ [`GET /api/runs/${ID}`]: [() => jsonResponse(run)], [METRICS]: [() => jsonResponse(metrics)] })),
  );
}

describe('RunDetailPage', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('shows the step timeline and follows the live progress from the event stream', async () => {
    serveRun(RUN_TRAINING, NO_METRICS);
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);

    expect(await screen.findByRole('list', { name: 'Pipeline steps' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: new RegExp(ID) })).toBeInTheDocument();
    const items = stepItems();
    expect(items.map((li) => li.querySelector('.timeline-name')!.textContent)).toEqual([
      'Extract',
      'Train',
      'Evaluate',
      'Gate',
      'Register',
      'Await approval',
      'Canary rollout',
      'Done',
    ]);
    expect(items[0]).toHaveTextContent('completed');
    expect(items[1]).toHaveTextContent('running');
    expect(items[1]).toHaveAttribute('aria-current', 'step');
    expect(items[2]).toHaveTextContent('pending');

    const bar = screen.getByRole('progressbar', { name: 'Run progress' });
    // step 2 of 8 with a quarter of the epochs done: (1 + 0.25) / 7
    expect(bar).toHaveAttribute('aria-valuenow', '18');

    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe(`/api/runs/${ID}/events`);
    expect(source.withCredentials).toBe(true);

    act(() => source.emit(progressEvent(0.5, { loss: 0.8, 'val_wr@10': 0.9 })));
    // (1 + 0.5) / 7
    expect(bar).toHaveAttribute('aria-valuenow', '21');
    expect(screen.getByText(/training, 50 % of epochs/)).toBeInTheDocument();
    expect(screen.getByText('live')).toBeInTheDocument();
    // the epoch samples feed the curves (their data tables are in the DOM)
    expect(screen.getByText('Loss per epoch')).toBeInTheDocument();
    expect(screen.getByText('Validation metrics per epoch')).toBeInTheDocument();
  });

  it('lets the trigger cancel an open run after confirming', async () => {
    const fetchMock = vi.fn(
      routeFetch({
        [`GET /api/runs/${ID}`]: [() => jsonResponse(RUN_TRAINING)],
        [METRICS]: [() => jsonResponse(NO_METRICS)],
        [`POST /api/runs/${ID}/cancel`]: [() => jsonResponse({ runId: ID, status: 'RUNNING' }, 202)],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);
    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel the run' }));
    expect(await screen.findByText(/cancellation requested/i)).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith(`/api/runs/${ID}/cancel`, expect.objectContaining({ method: 'POST' }));
  });

  it('offers no cancel to someone else, and shows evaluation, gate verdict and links', async () => {
    serveRun(RUN_AWAITING, RUN_METRICS);
    renderAs(RITA, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByRole('heading', { name: 'Gate verdict' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument();
    expect(screen.getByText('Gate passed')).toBeInTheDocument();
    expect(screen.getByText('WR@10 0.9697 meets the minimum 0.5000')).toBeInTheDocument();
    expect(screen.getByText('WR@K (displayed list) vs K: candidate and champion')).toBeInTheDocument();
    expect(screen.getByText('WR@10 per region')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /MLflow run/ })).toHaveAttribute('href', RUN_AWAITING.links.mlflow);
    expect(screen.getByRole('link', { name: /Temporal workflow/ })).toHaveAttribute('href', RUN_AWAITING.links.temporal);
    expect(screen.getByRole('link', { name: 'open the approvals inbox' })).toBeInTheDocument();
    const items = stepItems();
    expect(items[5]).toHaveTextContent('waiting for a decision');
    expect(items[6]).toHaveTextContent('pending');
  });

  it('says when training resumed from a checkpoint, and shows the artifact digest', async () => {
    const resumed = structuredClone(RUN_AWAITING);
    const trained = resumed.steps.find((s) => s.step === 'train' && s.status === 'completed')!;
    trained.detail = { ...(trained.detail as object), resumedFromEpoch: 2, onnxSha256: 'ab'.repeat(32) };
    serveRun(resumed, RUN_METRICS);
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByText(/resumed from the checkpoint of epoch 2/)).toBeInTheDocument();
    expect(screen.getByText('abababababab…')).toHaveAttribute('title', 'ab'.repeat(32));
  });

  it('keeps quiet about resuming when training ran in one attempt', async () => {
    serveRun(RUN_AWAITING, RUN_METRICS);
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByText(/Trained 3 epochs on cpu/)).toBeInTheDocument();
    expect(screen.queryByText(/resumed from the checkpoint/)).not.toBeInTheDocument();
  });

  it('draws the curves of a finished run from its MLflow history', async () => {
    const finished = structuredClone(RUN_AWAITING);
    finished.run = { ...finished.run, status: 'APPROVED', currentStep: 'done', outcome: 'APPROVED', reason: 'approved by rita' };
    delete finished.live;
    const fetchMock = vi.fn(
      routeFetch({ [`GET /api/runs/${ID}`]: [() => jsonResponse(finished)], [METRICS]: [() => jsonResponse(RUN_METRICS)] }),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderAs(RITA, <RunDetailPage params={{ id: ID }} />);

    expect(await screen.findByText('Loss per epoch')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith(`/api/runs/${ID}/metrics`, expect.anything());
    expect(FakeEventSource.instances).toHaveLength(0); // closed: no stream, the history is all there is

    const loss = within(figure('Loss per epoch'));
    expect(loss.getByRole('columnheader', { name: 'train_loss' })).toBeInTheDocument();
    expect(loss.getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['1.000.9100', '2.000.7200', '3.000.6500']);

    const validation = within(figure('Validation metrics per epoch'));
    expect(validation.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Epoch', 'val_wr_at_10', 'val_wr_at_5']);
    expect(validation.getByRole('cell', { name: '0.4680' })).toBeInTheDocument();
    expect(screen.queryByText(/No per-epoch metrics/)).not.toBeInTheDocument();
  });

  it('shows the stored epochs of a page opened mid-run until live samples take over', async () => {
    const sofar = { mlflowRunId: '6a3b', epochs: [{ epoch: 1, metrics: { train_loss: 0.91, val_wr_at_10: 0.412 } }] };
    serveRun(RUN_TRAINING, sofar);
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);

    expect(await screen.findByText('Loss per epoch')).toBeInTheDocument();
    expect(within(figure('Loss per epoch')).getByRole('columnheader', { name: 'train_loss' })).toBeInTheDocument();
    expect(within(figure('Validation metrics per epoch')).getByRole('columnheader', { name: 'val_wr_at_10' })).toBeInTheDocument();

    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    act(() => FakeEventSource.instances[0]!.emit(progressEvent(0.5, { loss: 0.8, 'val_wr@10': 0.9 })));

    const loss = within(figure('Loss per epoch'));
    expect(loss.getByRole('columnheader', { name: 'loss' })).toBeInTheDocument();
    expect(loss.queryByRole('columnheader', { name: 'train_loss' })).not.toBeInTheDocument();
    expect(loss.getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['2.000.8000']);
  });

  it('says so when a run has no recorded epochs yet', async () => {
    serveRun(RUN_TRAINING, NO_METRICS);
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByText(/No per-epoch metrics recorded yet/)).toBeInTheDocument();
    expect(screen.queryByText('Loss per epoch')).not.toBeInTheDocument();
  });

  it('explains a failed metrics request without hiding the run', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          [`GET /api/runs/${ID}`]: [() => jsonResponse(RUN_AWAITING)],
          [METRICS]: [() => jsonResponse({ status: 503, title: 'unavailable', detail: 'MLflow is down' }, 503)],
        }),
      ),
    );
    renderAs(ERIN, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByText(/Could not load the per-epoch metrics from MLflow/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Gate verdict' })).toBeInTheDocument();
  });

  it('shows the first judged bake of a canary without champion even when the API sends "NaN"', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          [`GET /api/runs/${ID}`]: [() => jsonResponse(inCanary())],
          [METRICS]: [() => jsonResponse(RUN_METRICS)],
          [ROLLOUT]: [() => jsonResponse(ROLLOUT_BASELINE_NAN)],
        }),
      ),
    );
    renderAs(RITA, <RunDetailPage params={{ id: ID }} />);
    const table = await screen.findByRole('table', { name: 'Canary decisions' });
    expect(table).toHaveTextContent('Baseline (no champion yet)');
    expect(screen.getByText(/Judged against the baseline arm/)).toBeInTheDocument();
    expect(screen.queryByText(/failed to display/)).not.toBeInTheDocument();
  });

  it('keeps the other panels usable when one fails to display', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          [`GET /api/runs/${ID}`]: [() => jsonResponse(inCanary())],
          [METRICS]: [() => jsonResponse(RUN_METRICS)],
          // an object where the panel renders text: React refuses it while rendering
          [ROLLOUT]: [() => jsonResponse({ ...ROLLOUT_BASELINE_NAN, candidateVersion: { version: '4' } })],
        }),
      ),
    );
    renderAs(RITA, <RunDetailPage params={{ id: ID }} />);
    const alert = await screen.findByText(/Canary rollout panel failed to display/);
    expect(alert.closest('[role="alert"]')).toHaveClass('error', 'panel-error');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    // the siblings still render
    expect(screen.getByRole('heading', { name: 'Gate verdict' })).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Pipeline steps' })).toBeInTheDocument();
    expect(screen.getByText('Loss per epoch')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: new RegExp(ID) })).toBeInTheDocument();
  });

  it('says an approved run without a canary made its version champion at approval', async () => {
    const approved = structuredClone(RUN_AWAITING);
    approved.run = { ...approved.run, status: 'APPROVED', currentStep: 'done', outcome: 'APPROVED', reason: 'approved by rita' };
    approved.parameters = { ...approved.parameters, rollout: null };
    delete approved.live;
    serveRun(approved, RUN_METRICS);
    renderAs(RITA, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByText('No canary was asked for: approval made v1 champion at once.')).toBeInTheDocument();
    const rollout = stepItems()[6]!;
    expect(rollout).toHaveTextContent('Canary rollout');
    expect(rollout).toHaveTextContent('none: champion at approval');
    expect(rollout).not.toHaveTextContent('skipped');
  });

  it('tells an open run what approval will do', async () => {
    const canary = structuredClone(RUN_AWAITING);
    canary.parameters = { ...canary.parameters, rollout: { stepsPercent: [5, 25, 50, 100], bake: 'PT15M', minUsersPerArm: 200 } };
    serveRun(canary, RUN_METRICS);
    const { unmount } = renderAs(RITA, <RunDetailPage params={{ id: ID }} />);
    expect(
      await screen.findByText(
        'After approval a canary starts: 5 → 25 → 50 → 100 % of buyers, 15 min bakes, at least 200 users per arm.',
      ),
    ).toBeInTheDocument();
    expect(stepItems()[6]).toHaveTextContent('pending');
    unmount();

    const direct = structuredClone(RUN_AWAITING);
    direct.parameters = { ...direct.parameters, rollout: null };
    serveRun(direct, RUN_METRICS);
    renderAs(RITA, <RunDetailPage params={{ id: ID }} />);
    expect(await screen.findByText('No canary requested: approval makes v1 champion at once.')).toBeInTheDocument();
    expect(stepItems()[6]).toHaveTextContent('not requested');
  });

  it('reports an unknown run', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(routeFetch({ 'GET /api/runs/run-nope': [() => jsonResponse({ status: 404, title: 'not found' }, 404)] })),
    );
    renderAs(ERIN, <RunDetailPage params={{ id: 'run-nope' }} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('There is no run run-nope.');
  });
});

describe('overallProgress', () => {
  it('does not throw on a status without a step or with a non-numeric progress', () => {
    const odd = { ...RUN_TRAINING.live!, step: null, progress: 'NaN' } as unknown as NonNullable<RunDetail['live']>;
    expect(overallProgress(odd, true)).toEqual({ value: 0, label: 'Step 1 of 8: –' });
  });
});

describe('epochPoints', () => {
  it('turns the MLflow history into chart points ordered by epoch', () => {
    expect(
      epochPoints({
        mlflowRunId: 'x',
        epochs: [
          { epoch: 2, metrics: { train_loss: 0.5 } },
          { epoch: 1, metrics: { train_loss: 0.9, val_wr_at_10: 0.4 } },
        ],
      }),
    ).toEqual([
      { epoch: 1, train_loss: 0.9, val_wr_at_10: 0.4 },
      { epoch: 2, train_loss: 0.5 },
    ]);
  });
});

describe('addSample', () => {
  it('keeps loss at every sample and validation metrics at whole epochs only', () => {
    let h = addSample([], progressEvent(0.125, { loss: 1.0, 'val_wr@10': 0.1 }), 4);
    h = addSample(h, progressEvent(0.25, { loss: 0.9, 'val_wr@10': 0.5 }), 4);
    expect(h).toEqual([
      { epoch: 0.5, loss: 1.0 },
      { epoch: 1, loss: 0.9, 'val_wr@10': 0.5 },
    ]);
  });
});
