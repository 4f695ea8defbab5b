import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/fixtures';
import { ERIN, RITA, renderAs } from '../test/render';
import { RUN_SUMMARY } from '../test/runFixtures';
import RunsPage from './RunsPage';

describe('RunsPage', () => {
  it('lists runs and passes filters and paging to the API', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      const page = Number(new URL(url, 'http://x').searchParams.get('page'));
      return jsonResponse({ items: [{ ...RUN_SUMMARY, id: `run-p${page}` }], page, size: 20, total: 45 });
    });
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderAs(ERIN, <RunsPage />);

    const link = await screen.findByRole('link', { name: 'run-p0' });
    expect(link).toHaveAttribute('href', '#/runs/run-p0');
    const row = link.closest('tr')!;
    expect(within(row).getByText('running')).toBeInTheDocument();
    expect(row).toHaveTextContent('resflow');
    expect(row).toHaveTextContent('ui');
    expect(row).toHaveTextContent('erin');
    expect(screen.getByText(/Page 1 of 3 · 45 runs/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New run' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'run-p1' })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Status'), 'AWAITING_APPROVAL');
    await user.selectOptions(screen.getByLabelText('Model family'), 'ple');
    await user.selectOptions(screen.getByLabelText('Trigger'), 'schedule');
    await user.click(screen.getByLabelText('Only my runs'));
    await screen.findByRole('link', { name: 'run-p0' });
    expect(fetchMock).toHaveBeenLastCalledWith(
      '/api/runs?status=AWAITING_APPROVAL&modelFamily=ple&triggeredBy=erin&trigger=schedule&page=0&size=20',
      expect.anything(),
    );
  });

  it('offers no New run button to a release manager', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ items: [], page: 0, size: 20, total: 0 })));
    renderAs(RITA, <RunsPage />);
    expect(await screen.findByText('No runs match these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New run' })).not.toBeInTheDocument();
  });
});
