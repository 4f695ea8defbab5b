import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RUN_DEFAULTS, RUN_SUMMARY } from '../test/runFixtures';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { ERIN, renderAs } from '../test/render';
import NewRunPage, { fieldForViolation, initialText, parseSteps } from './NewRunPage';

const DEFAULTS = 'GET /api/runs/defaults';

/** Renders the page with the defaults fixture and waits for the form. */
async function renderForm(routes: Parameters<typeof routeFetch>[0] = {}) {
  const fetchMock = vi.fn(routeFetch({ [DEFAULTS]: [() => jsonResponse(RUN_DEFAULTS)], ...routes }));
  vi.stubGlobal('fetch', fetchMock);
  renderAs(ERIN, <NewRunPage />);
  await screen.findByRole('button', { name: 'Start run' });
  return fetchMock;
}

function postedBody(fetchMock: ReturnType<typeof vi.fn>) {
  const call = fetchMock.mock.calls.find(([url, init]) => url === '/api/runs' && (init as RequestInit)?.method === 'POST');
  return JSON.parse((call![1] as RequestInit).body as string);
}

describe('NewRunPage', () => {
  it("pre-fills every field from the API's defaults and submits them with trigger ui and the canary, then opens the run", async () => {
    const fetchMock = vi.fn(
      routeFetch({ [DEFAULTS]: [() => jsonResponse(RUN_DEFAULTS)], 'POST /api/runs': [() => jsonResponse(RUN_SUMMARY, 201)] }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <NewRunPage />);

    expect(screen.getByRole('status')).toHaveTextContent('Loading the run defaults…');
    expect(await screen.findByLabelText('Model family')).toHaveValue('shared_bottom');
    expect(screen.getByLabelText('Registered model name')).toHaveValue('rankops-ranker');
    expect(screen.getByLabelText(/Window start/)).toHaveValue('2026-11-01');
    expect(screen.getByLabelText(/Window end/)).toHaveValue('2026-11-07');
    expect(screen.getByLabelText(/Window end/)).toHaveAccessibleDescription(expect.stringContaining('3 to 90 days'));
    expect(screen.getByLabelText('Epochs')).toHaveValue('5');
    expect(screen.getByLabelText('Batch size')).toHaveValue('512');
    expect(screen.getByLabelText('Learning rate')).toHaveValue('0.001');
    expect(screen.getByLabelText('Embedding dimension')).toHaveValue('16');
    expect(screen.getByLabelText('Early-stopping patience')).toHaveValue('2');
    expect(screen.getByLabelText('Seed')).toHaveValue('42');
    expect(screen.getByLabelText('K (WR@K)')).toHaveValue('10');
    expect(screen.getByLabelText('Minimum weighted recall')).toHaveValue('0.1');
    expect(screen.getByLabelText('Maximum regression')).toHaveValue('0.02');
    expect(screen.getByLabelText('Approval timeout (hours)')).toHaveValue('72');
    expect(screen.getByLabelText(/Region mask/)).not.toBeChecked();
    expect(screen.getByRole('radio', { name: 'auto' })).toBeChecked();
    expect(screen.getByLabelText('Roll out as a canary after approval')).toBeChecked();
    expect(screen.getByLabelText('Bake time (seconds)')).toHaveValue('900');
    expect(screen.getByLabelText('Bake time (seconds)')).toHaveAccessibleDescription(expect.stringContaining('15 min per step'));
    expect(screen.getByLabelText('Steps (%)')).toHaveValue('5, 25, 50, 100');
    expect(screen.getByLabelText('Minimum users per arm')).toHaveValue('200');
    const regions = within(screen.getByRole('group', { name: 'Regions' }));
    expect(regions.getAllByRole('checkbox').every((c) => (c as HTMLInputElement).checked)).toBe(true);

    await user.click(regions.getByRole('checkbox', { name: 'FR' }));
    await user.selectOptions(screen.getByLabelText('Model family'), 'mmoe');
    await user.click(screen.getByRole('button', { name: 'Start run' }));

    await waitFor(() => expect(window.location.hash).toBe(`#/runs/${RUN_SUMMARY.id}`));
    expect(postedBody(fetchMock)).toMatchObject({
      modelName: 'rankops-ranker',
      modelFamily: 'mmoe',
      regionMask: false,
      window: { start: '2026-11-01', end: '2026-11-07' },
      regions: ['US', 'NL', 'ES'],
      params: { epochs: 5, batchSize: 512, learningRate: 0.001, embeddingDim: 16, patience: 2, seed: 42 },
      gate: { k: 10, minWeightedRecall: 0.1, maxRegression: 0.02 },
      device: 'auto',
      approvalTimeoutHours: 72,
      trigger: 'ui',
      rollout: { bakeSeconds: 900, stepsPercent: [5, 25, 50, 100], minUsersPerArm: 200 },
    });
  });

  it('offers only what the API lists, and picks the family it names', async () => {
    const defaults = {
      ...RUN_DEFAULTS,
      modelFamily: 'resflow',
      modelFamilies: ['mmoe', 'resflow'],
      regions: ['US', 'NL'],
      tasks: ['click'],
      devices: ['cpu'],
      device: 'cpu',
    };
    vi.stubGlobal('fetch', vi.fn(routeFetch({ [DEFAULTS]: [() => jsonResponse(defaults)] })));
    renderAs(ERIN, <NewRunPage />);
    const family = await screen.findByLabelText('Model family');
    expect(family).toHaveValue('resflow');
    expect(within(family).getAllByRole('option').map((o) => o.textContent)).toEqual(['mmoe', 'resflow']);
    expect(
      within(screen.getByRole('group', { name: 'Regions' }))
        .getAllByRole('checkbox')
        .map((c) => (c as HTMLInputElement).value),
    ).toEqual(['US', 'NL']);
    expect(screen.getByLabelText('click weight')).toBeInTheDocument();
    expect(screen.queryByLabelText('cart weight')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('FR floor')).not.toBeInTheDocument();
    const device = within(screen.getByRole('group', { name: 'Device' }));
    expect(device.getAllByRole('radio').map((r) => (r as HTMLInputElement).value)).toEqual(['cpu']);
    expect(screen.getByRole('radio', { name: 'cpu' })).toBeChecked();
  });

  it('asks for the gate metric the API offers, and says when no event source declares regions', async () => {
    const fetchMock = vi.fn(
      routeFetch({
        [DEFAULTS]: [() => jsonResponse({ ...RUN_DEFAULTS, regions: [] })],
        'POST /api/runs': [() => jsonResponse(RUN_SUMMARY, 201)],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <NewRunPage />);
    const metric = within(await screen.findByRole('group', { name: 'Metric the gate judges' }));
    expect(metric.getByRole('radio', { name: /WR@K of the displayed list/ })).toBeChecked();
    expect(screen.getByRole('group', { name: 'Regions' })).toHaveTextContent('No event source declares its regions yet');

    await user.click(metric.getByRole('radio', { name: /pre-rank WR@K/ }));
    expect(screen.getByLabelText('K (WR@K)')).toHaveAccessibleDescription(expect.stringContaining('pre-ranker keeps'));
    await user.clear(screen.getByLabelText('K (WR@K)'));
    await user.type(screen.getByLabelText('K (WR@K)'), '100');
    await user.click(screen.getByRole('button', { name: 'Start run' }));

    await waitFor(() => expect(window.location.hash).toBe(`#/runs/${RUN_SUMMARY.id}`));
    expect(postedBody(fetchMock)).toMatchObject({ regions: [], gate: { k: 100, metric: 'prerank_wr' } });
  });

  it('says when the defaults cannot be loaded and tries again', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          [DEFAULTS]: [
            () => jsonResponse({ status: 503, title: 'unavailable', detail: 'the database is down' }, 503),
            () => jsonResponse(RUN_DEFAULTS),
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    renderAs(ERIN, <NewRunPage />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the run defaults.');
    expect(alert).toHaveTextContent('the database is down');
    expect(screen.queryByRole('button', { name: 'Start run' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Epochs')).toHaveValue('5');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('sends no rollout when the canary is unticked, and says approval makes the version champion', async () => {
    const fetchMock = await renderForm({ 'POST /api/runs': [() => jsonResponse(RUN_SUMMARY, 201)] });
    const user = userEvent.setup();
    expect(screen.queryByText(/Approval will make the version champion at once/)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Roll out as a canary after approval'));
    expect(screen.getByText(/Approval will make the version champion at once/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Bake time (seconds)')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/runs/${RUN_SUMMARY.id}`));
    expect(postedBody(fetchMock)).not.toHaveProperty('rollout');
  });

  it('sends the canary as edited, and resets to the defaults', async () => {
    const fetchMock = await renderForm({ 'POST /api/runs': [() => jsonResponse(RUN_SUMMARY, 201)] });
    const user = userEvent.setup();
    const bake = screen.getByLabelText('Bake time (seconds)');
    await user.clear(bake);
    await user.type(bake, '90');
    expect(bake).toHaveAccessibleDescription(expect.stringContaining('1 min 30 s per step'));
    const steps = screen.getByLabelText('Steps (%)');
    await user.clear(steps);
    await user.type(steps, '10 %, 50.5,100');
    await user.clear(screen.getByLabelText('Minimum users per arm'));

    await user.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    expect(bake).toHaveValue('900');
    expect(steps).toHaveValue('5, 25, 50, 100');

    await user.clear(bake);
    await user.type(bake, '90');
    await user.clear(steps);
    await user.type(steps, '10 %, 50.5,100');
    await user.clear(screen.getByLabelText('Minimum users per arm'));
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/runs/${RUN_SUMMARY.id}`));
    // a blank minimum is left to the server's default
    expect(postedBody(fetchMock).rollout).toEqual({ bakeSeconds: 90, stepsPercent: [10, 50.5, 100] });
  });

  it('checks the canary steps before asking the API', async () => {
    const fetchMock = await renderForm();
    const user = userEvent.setup();
    const steps = screen.getByLabelText('Steps (%)');
    await user.clear(steps);
    await user.type(steps, '5, 0, 150, x');
    const bake = screen.getByLabelText('Bake time (seconds)');
    await user.clear(bake);
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(steps).toHaveAttribute('aria-invalid', 'true');
    expect(steps).toHaveAccessibleDescription(expect.stringContaining('at most 100, separated by commas (not 0, 150, x)'));
    expect(bake).toHaveAccessibleDescription(expect.stringContaining('enter the bake time in seconds'));
    expect(fetchMock.mock.calls.some(([, init]) => (init as RequestInit | undefined)?.method === 'POST')).toBe(false);
  });

  it("puts the API's rollout messages beside the rollout fields", async () => {
    await renderForm({
      'POST /api/runs': [
        () =>
          jsonResponse(
            {
              status: 400,
              title: 'invalid request',
              violations: [
                { field: 'rollout.bakeSeconds', message: 'must be greater than or equal to 10' },
                { field: 'rollout.stepsPercent[0]', message: 'must be greater than 0' },
                { field: 'rollout.minUsersPerArm', message: 'must be greater than or equal to 1' },
              ],
            },
            400,
          ),
      ],
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    const bake = screen.getByLabelText('Bake time (seconds)');
    await waitFor(() => expect(bake).toHaveAttribute('aria-invalid', 'true'));
    expect(bake).toHaveAccessibleDescription(expect.stringContaining('must be greater than or equal to 10'));
    expect(screen.getByLabelText('Steps (%)')).toHaveAccessibleDescription(
      expect.stringContaining('rollout.stepsPercent[0]: must be greater than 0'),
    );
    expect(screen.getByLabelText('Minimum users per arm')).toHaveAccessibleDescription(
      expect.stringContaining('must be greater than or equal to 1'),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('3 problems');
  });

  it("shows each of the API's validation messages beside its field", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          [DEFAULTS]: [() => jsonResponse(RUN_DEFAULTS)],
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
    await user.click(await screen.findByRole('button', { name: 'Start run' }));

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
    const fetchMock = await renderForm();
    const user = userEvent.setup();
    const epochs = screen.getByLabelText('Epochs');
    await user.clear(epochs);
    await user.type(epochs, 'three');
    for (const region of ['US', 'NL', 'ES', 'FR']) {
      await user.click(within(screen.getByRole('group', { name: 'Regions' })).getByRole('checkbox', { name: region }));
    }
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(epochs).toHaveAccessibleDescription(expect.stringContaining('enter a number'));
    expect(screen.getByRole('group', { name: 'Regions' })).toHaveAccessibleDescription('choose at least one region');
    expect(fetchMock).toHaveBeenCalledTimes(1); // the defaults only
  });

  it('maps violation paths to fields', () => {
    const fields = Object.keys(initialText(RUN_DEFAULTS));
    expect(fieldForViolation('window', fields)).toBe('window.end');
    expect(fieldForViolation('regions[2]', fields)).toBe('regions');
    expect(fieldForViolation('params.taskLossWeights[foo]', fields)).toBe('params.taskLossWeights');
    expect(fieldForViolation('params.taskLossWeights[click]', fields)).toBe('params.taskLossWeights[click]');
    expect(fieldForViolation('gate.regionFloors[US]', fields)).toBe('gate.regionFloors[US]');
    expect(fieldForViolation('rollout.bakeSeconds', fields)).toBe('rollout.bakeSeconds');
    expect(fieldForViolation('rollout.stepsPercent[0]', fields)).toBe('rollout.stepsPercent');
    expect(fieldForViolation('rollout.minUsersPerArm', fields)).toBe('rollout.minUsersPerArm');
    expect(fieldForViolation('rollout', fields)).toBe('rollout');
    expect(fieldForViolation('body', fields)).toBeNull();
  });

  it('reads canary steps as numbers in (0, 100]', () => {
    expect(parseSteps('5, 25, 50, 100')).toEqual({ steps: [5, 25, 50, 100], error: null });
    expect(parseSteps(' 5%;25 % 100 ')).toEqual({ steps: [5, 25, 100], error: null });
    expect(parseSteps('0.5')).toEqual({ steps: [0.5], error: null });
    expect(parseSteps('').error).toMatch(/at least one step/);
    expect(parseSteps('0').error).toMatch(/not 0/);
    expect(parseSteps('100.5').error).toMatch(/not 100.5/);
    expect(parseSteps('-5, 10').error).toMatch(/not -5/);
    expect(parseSteps('NaN').error).toMatch(/not NaN/);
  });

  it('pre-fills blanks, never "undefined", where the API leaves a default out', () => {
    const partial = { ...RUN_DEFAULTS, params: { ...RUN_DEFAULTS.params, seed: undefined } } as unknown as typeof RUN_DEFAULTS;
    expect(initialText(partial)['params.seed']).toBe('');
    expect(initialText(RUN_DEFAULTS)['rollout.stepsPercent']).toBe('5, 25, 50, 100');
  });
});
