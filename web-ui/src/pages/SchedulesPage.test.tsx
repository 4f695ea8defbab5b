import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, routeFetch } from '../test/fixtures';
import { ERIN, RITA, renderAs } from '../test/render';
import SchedulesPage from './SchedulesPage';

const NIGHTLY = {
  id: 'nightly-resflow',
  description: 'nightly retrain',
  cron: '0 3 * * *',
  timezone: 'UTC',
  windowDays: 7,
  paused: false,
  nextRuns: ['2026-11-24T03:00:00Z'],
  recentActions: [
    { scheduledAt: '2026-11-23T03:00:00Z', startedAt: '2026-11-23T03:00:01Z', workflowId: 'wf-1', runId: 'run-aaa' },
  ],
  actionCount: 1,
  createdAt: '2026-11-20T10:00:00Z',
  createdBy: 'erin',
  run: { modelName: 'rankops-ranker', modelFamily: 'resflow' },
};

describe('SchedulesPage', () => {
  it('lists schedules with their runs and lets an engineer pause one', async () => {
    const fetchMock = vi.fn(
      routeFetch({
        'GET /api/schedules': [() => jsonResponse([NIGHTLY]), () => jsonResponse([{ ...NIGHTLY, paused: true }])],
        'POST /api/schedules/nightly-resflow/pause': [() => jsonResponse({ ...NIGHTLY, paused: true })],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <SchedulesPage />);
    expect(await screen.findByText('0 3 * * *')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'run-aaa' })).toHaveAttribute('href', '#/runs/run-aaa');
    await user.click(screen.getByRole('button', { name: 'Pause nightly-resflow' }));
    expect(await screen.findByText('Schedule nightly-resflow paused.')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Resume nightly-resflow' })).toBeInTheDocument();
  });

  it('shows a release manager the schedules without actions', async () => {
    vi.stubGlobal('fetch', vi.fn(routeFetch({ 'GET /api/schedules': [() => jsonResponse([NIGHTLY])] })));
    renderAs(RITA, <SchedulesPage />);
    expect(await screen.findByText('nightly retrain')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Pause/ })).not.toBeInTheDocument();
  });
});
