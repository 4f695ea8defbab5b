import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RUN_SUMMARY } from '../test/runFixtures';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { ERIN, renderAs } from '../test/render';
import NewRunPage, { fieldForViolation } from './NewRunPage';

describe('NewRunPage', () => {
  it('starts with the demo defaults and submits them with trigger ui, then opens the run', async () => {
    const fetchMock = vi.fn(routeFetch({ 'POST /api/runs': [() => jsonResponse(RUN_SUMMARY, 201)] }));
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <NewRunPage />);

    expect(screen.getByLabelText('Model family')).toHaveValue('resflow');
    expect(screen.getByLabelText(/Window start/)).toHaveValue('2026-11-01');
    expect(screen.getByLabelText(/Window end/)).toHaveValue('2026-11-07');
    expect(screen.getByLabelText('Epochs')).toHaveValue('3');
    expect(screen.getByRole('radio', { name: 'auto' })).toBeChecked();
    const regions = within(screen.getByRole('group', { name: 'Regions' }));
    expect(regions.getAllByRole('checkbox').every((c) => (c as HTMLInputElement).checked)).toBe(true);

    await user.click(regions.getByRole('checkbox', { name: 'FR' }));
    await user.selectOptions(screen.getByLabelText('Model family'), 'mmoe');
    await user.click(screen.getByRole('button', { name: 'Start run' }));

    await waitFor(() => expect(window.location.hash).toBe(`#/runs/${RUN_SUMMARY.id}`));
    const [, init] = fetchMock.mock.calls[0]!;
    const body = JSON.parse(init!.body as string);
    expect(body).toMatchObject({
      modelFamily: 'mmoe',
      regionMask: true,
      window: { start: '2026-11-01', end: '2026-11-07' },
      regions: ['US', 'NL', 'ES'],
      params: { epochs: 3, batchSize: 64, learningRate: 0.002, embeddingDim: 12, patience: 2, seed: 7 },
      gate: { k: 10, minWeightedRecall: 0.5, maxRegression: 0.02 },
      device: 'auto',
      approvalTimeoutHours: 72,
      trigger: 'ui',
    });
  });

  it("shows each of the API's validation messages beside its field", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'POST /api/runs': [
            () =>
              jsonResponse(
                {
                  status: 400,
                  title: 'invalid request',
                  detail: 'gate.k, params.epochs, window.end',
                  violations: [
                    { field: 'gate.k', message: 'must be greater than or equal to 1' },
                    { field: 'params.epochs', message: 'must be greater than or equal to 1' },
                    { field: 'regions[0]', message: 'unknown region; known: US, NL, ES, FR' },
                    {
                      field: 'window.end',
                      message: 'the window spans 2 days; at least 3 are needed (training, validation and test days)',
                    },
                    { field: 'gate.regionFloors[US]', message: 'must be less than or equal to 1' },
                    { field: 'somethingElse', message: 'is odd' },
                  ],
                },
                400,
              ),
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    renderAs(ERIN, <NewRunPage />);
    await user.click(screen.getByRole('button', { name: 'Start run' }));

    const end = screen.getByLabelText(/Window end/);
    await waitFor(() => expect(end).toHaveAttribute('aria-invalid', 'true'));
    expect(end).toHaveAccessibleDescription(expect.stringContaining('the window spans 2 days; at least 3 are needed'));
    const k = screen.getByLabelText('K (WR@K)');
    expect(k).toHaveAttribute('aria-invalid', 'true');
    expect(k).toHaveAccessibleDescription(expect.stringContaining('must be greater than or equal to 1'));
    expect(screen.getByLabelText('Epochs')).toHaveAccessibleDescription(
      expect.stringContaining('must be greater than or equal to 1'),
    );
    expect(screen.getByLabelText('US floor')).toHaveAccessibleDescription('must be less than or equal to 1');
    expect(screen.getByRole('group', { name: 'Regions' })).toHaveAccessibleDescription(
      'regions[0]: unknown region; known: US, NL, ES, FR',
    );
    // fields without errors stay clean
    expect(screen.getByLabelText('Batch size')).not.toHaveAttribute('aria-invalid');
    // and a summary lists every problem, including the one no field owns
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('6 problems');
    expect(alert).toHaveTextContent('somethingElse: is odd');
  });

  it('checks numbers and regions before asking the API', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <NewRunPage />);
    const epochs = screen.getByLabelText('Epochs');
    await user.clear(epochs);
    await user.type(epochs, 'three');
    for (const region of ['US', 'NL', 'ES', 'FR']) {
      await user.click(within(screen.getByRole('group', { name: 'Regions' })).getByRole('checkbox', { name: region }));
    }
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(epochs).toHaveAccessibleDescription(expect.stringContaining('enter a number'));
    expect(screen.getByRole('group', { name: 'Regions' })).toHaveAccessibleDescription('choose at least one region');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('maps violation paths to fields', () => {
    expect(fieldForViolation('window')).toBe('window.end');
    expect(fieldForViolation('regions[2]')).toBe('regions');
    expect(fieldForViolation('params.taskLossWeights[foo]')).toBe('params.taskLossWeights');
    expect(fieldForViolation('params.taskLossWeights[click]')).toBe('params.taskLossWeights[click]');
    expect(fieldForViolation('body')).toBeNull();
  });
});
