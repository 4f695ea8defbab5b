import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ModelVersion, ModelVersions } from '../api/models';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { RITA, renderAs } from '../test/render';
import ModelsPage, { championOf } from './ModelsPage';

/** The versions answer with its list, as this fixture has one. */
const VERSIONS: ModelVersions & { versions: ModelVersion[] } = {
  name: 'rankops-ranker',
  description: '',
  aliases: { candidate: '2', champion: '1' },
  versions: [
    {
      version: '2',
      status: 'READY',
      source: 's3://rankops/models/run-b/model.onnx',
      mlflowRunId: '6a3b96b389844a7c',
      createdAtMillis: 1795437942603,
      aliases: ['candidate'],
      runId: 'run-b',
      datasetId: 'ds-4d4d',
      tags: { 'metric.wr_at_10': '0.9696969696969697', 'rankops.model_family': 'resflow' },
      lifecycle: 'IN_CANARY',
    },
    {
      version: '1',
      status: 'READY',
      source: 's3://rankops/models/run-a/model.onnx',
      mlflowRunId: null,
      createdAtMillis: 1795437000000,
      aliases: ['champion'],
      runId: 'run-a',
      datasetId: 'ds-1111',
      tags: {},
      lifecycle: 'CHAMPION',
    },
  ],
};

describe('ModelsPage', () => {
  it('shows versions with aliases and lineage, and looks up another name', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'GET /api/models/rankops-ranker/versions': [() => jsonResponse(VERSIONS)],
          'GET /api/models/other/versions': [() => jsonResponse({ status: 404, title: 'not found' }, 404)],
        }),
      ),
    );
    const user = userEvent.setup();
    renderAs(RITA, <ModelsPage />);
    expect(await screen.findByText('champion → v1')).toBeInTheDocument();
    expect(screen.getByText('candidate → v2')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'run-b' })).toHaveAttribute('href', '#/runs/run-b');
    expect(screen.getByText('ds-1111')).toBeInTheDocument();
    expect(screen.getByText('wr_at_10 0.9697')).toBeInTheDocument();

    const input = screen.getByLabelText('Registered model name');
    await user.clear(input);
    await user.type(input, 'other');
    await user.click(screen.getByRole('button', { name: 'Show versions' }));
    // A model that does not exist yet is a normal state on a new stack: a notice, not an error.
    expect(await screen.findByText(/There is no registered model named “other”/)).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows each version\'s lifecycle and which version is champion', async () => {
    vi.stubGlobal('fetch', vi.fn(routeFetch({ 'GET /api/models/rankops-ranker/versions': [() => jsonResponse(VERSIONS)] })));
    renderAs(RITA, <ModelsPage />);
    expect(await screen.findByText('Champion: v1')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    const lifecycle = (row: HTMLElement) => within(row).getAllByRole('cell')[0]!;
    expect(lifecycle(rows[0]!)).toHaveTextContent(/^in canary$/);
    expect(within(lifecycle(rows[0]!)).getByText('in canary')).toHaveClass('pill', 'pill-info');
    expect(lifecycle(rows[1]!)).toHaveTextContent(/^champion$/);
    expect(within(lifecycle(rows[1]!)).getByText('champion')).toHaveClass('pill', 'pill-ok');
    expect(screen.getByRole('columnheader', { name: 'Lifecycle' })).toBeInTheDocument();
  });

  it('says buyers get the baseline order while there is no champion', async () => {
    const none = {
      ...VERSIONS,
      aliases: { candidate: '2' },
      versions: [
        { ...VERSIONS.versions[0]!, lifecycle: 'AWAITING_APPROVAL' },
        { ...VERSIONS.versions[1]!, aliases: [], lifecycle: 'REJECTED' },
        { ...VERSIONS.versions[1]!, version: '0', aliases: [], lifecycle: null, createdAtMillis: Number.NaN },
      ],
    };
    vi.stubGlobal('fetch', vi.fn(routeFetch({ 'GET /api/models/rankops-ranker/versions': [() => jsonResponse(none)] })));
    renderAs(RITA, <ModelsPage />);
    expect((await screen.findByText(/No champion yet:/)).closest('p')).toHaveTextContent(
      'No champion yet: buyers get the baseline order.',
    );
    expect(screen.getByText('awaiting approval')).toBeInTheDocument();
    expect(screen.getByText('rejected')).toBeInTheDocument();
    expect(screen.queryByText(/failed to display/)).not.toBeInTheDocument();
  });

  it('keeps the page when the versions table fails to display', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bad = { ...VERSIONS, versions: [{ ...VERSIONS.versions[0]!, status: { state: 'READY' } }] };
    vi.stubGlobal('fetch', vi.fn(routeFetch({ 'GET /api/models/rankops-ranker/versions': [() => jsonResponse(bad)] })));
    renderAs(RITA, <ModelsPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Model versions table failed to display: /);
    expect(screen.getByRole('button', { name: 'Show versions' })).toBeInTheDocument();
    expect(screen.getByText('Champion: v1')).toBeInTheDocument();
  });

  it('finds the champion by lifecycle, else by alias', () => {
    expect(championOf({ aliases: { champion: '1' }, versions: [] })).toBe('1');
    expect(championOf({ aliases: {}, versions: [{ ...VERSIONS.versions[0]!, lifecycle: 'CHAMPION' }] })).toBe('2');
    expect(championOf({ aliases: {}, versions: [] })).toBeNull();
  });
});
