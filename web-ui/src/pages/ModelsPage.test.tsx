import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { RITA, renderAs } from '../test/render';
import ModelsPage from './ModelsPage';

const VERSIONS = {
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
    expect(await screen.findByRole('alert')).toHaveTextContent('There is no registered model named “other”');
  });
});
