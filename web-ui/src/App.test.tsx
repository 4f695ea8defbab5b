import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import App from './App';
import { STATUS_ONE_DOWN, jsonResponse, routeFetch, textResponse } from './test/fixtures';

function navLabels() {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((a) => a.textContent);
}

describe('App', () => {
  it('asks for a sign-in when GET /api/me answers 401, then shows the pages of the role', async () => {
    const fetchMock = vi.fn(
      routeFetch({
        'GET /api/me': [() => textResponse('', 401), () => jsonResponse({ username: 'erin', roles: ['ml-engineer'] })],
        'POST /api/session': [() => textResponse('', 401), () => new Response(null, { status: 200 })],
        'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    render(<App />);

    expect(await screen.findByRole('heading', { name: 'Sign in to rankops' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Username'), 'erin');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');

    await user.type(screen.getByLabelText('Password'), 'rankops-demo');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Platform status' })).toBeInTheDocument();
    expect(navLabels()).toEqual(['Status', 'Runs', 'New run', 'Models', 'Schedules']);
    expect(screen.getByText('erin')).toBeInTheDocument();

    const signIns = fetchMock.mock.calls.filter(([url, init]) => url === '/api/session' && init?.method === 'POST');
    const last = signIns.at(-1)![1]!;
    expect(last.body).toBe('username=erin&password=rankops-demo');
    expect(new Headers(last.headers).get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(last.credentials).toBe('same-origin');
  });

  it('offers Approvals but not New run to a release manager', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'GET /api/me': [() => jsonResponse({ username: 'rita', roles: ['release-manager'] })],
          'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)],
        }),
      ),
    );
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Platform status' });
    expect(navLabels()).toEqual(['Status', 'Runs', 'Approvals', 'Models', 'Schedules']);
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Status' })).toHaveAttribute(
      'aria-current',
      'page',
    );
  });

  it('gives an admin every page and keeps a role-less page out of reach', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'GET /api/me': [() => jsonResponse({ username: 'ada', roles: ['admin'] })],
          'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)],
        }),
      ),
    );
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Platform status' });
    expect(navLabels()).toEqual(['Status', 'Runs', 'New run', 'Approvals', 'Models', 'Schedules']);
  });

  it('tells an engineer who opens the approvals address that the role cannot use it', async () => {
    window.location.hash = '#/approvals';
    vi.stubGlobal(
      'fetch',
      vi.fn(routeFetch({ 'GET /api/me': [() => jsonResponse({ username: 'erin', roles: ['ml-engineer'] })] })),
    );
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Not available for your role' })).toBeInTheDocument();
    expect(screen.getByText(/ml-engineer/, { selector: 'p' })).toBeInTheDocument();
  });

  it('signs out and returns to the sign-in form', async () => {
    const fetchMock = vi.fn(
      routeFetch({
        'GET /api/me': [() => jsonResponse({ username: 'erin', roles: ['ml-engineer'] })],
        'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)],
        'DELETE /api/session': [() => new Response(null, { status: 204 })],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to rankops' })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith('/api/session', expect.objectContaining({ method: 'DELETE' }));
  });

  it('returns to the sign-in form when a later call answers 401', async () => {
    window.location.hash = '#/runs';
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'GET /api/me': [() => jsonResponse({ username: 'erin', roles: ['ml-engineer'] })],
          'GET /api/runs?page=0&size=20': [() => textResponse('', 401)],
        }),
      ),
    );
    render(<App />);
    expect(await screen.findByText(/your session has ended/i)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Username')).toBeInTheDocument());
  });

  it('keeps the app usable when a page fails to display, and navigating away (or back) recovers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch({
          'GET /api/me': [() => jsonResponse({ username: 'erin', roles: ['ml-engineer'] })],
          // a broken answer first (no component list), a good one afterwards
          'GET /api/status': [() => jsonResponse({ ...STATUS_ONE_DOWN, components: null }), () => jsonResponse(STATUS_ONE_DOWN)],
          'GET /api/runs?page=0&size=20': [() => jsonResponse({ items: [], page: 0, size: 20, total: 0 })],
        }),
      ),
    );
    const user = userEvent.setup();
    render(<App />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^Status page failed to display: /);
    expect(alert).toHaveClass('panel-error');
    // the shell stays: navigation and sign-out still work
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();

    await user.click(within(nav).getByRole('link', { name: 'Runs' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Runs' })).toBeInTheDocument();
    expect(screen.queryByText(/failed to display/)).not.toBeInTheDocument();

    // Back to the status page, which now gets a good answer
    await user.click(within(nav).getByRole('link', { name: 'Status' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Platform status' })).toBeInTheDocument();
    expect(await screen.findByText('trainer')).toBeInTheDocument();
    expect(screen.queryByText(/failed to display/)).not.toBeInTheDocument();
  });
});
