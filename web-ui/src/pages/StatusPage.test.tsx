import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatLocalTime } from '../format';
import { STATUS_REFRESH_MS } from '../hooks/usePlatformStatus';
import {
  PROBE_OK,
  STATUS_ALL_UP,
  STATUS_ONE_DOWN,
  jsonResponse,
  routeFetch,
  textResponse,
} from '../test/fixtures';
import StatusPage from './StatusPage';

function stubFetch(routes: Parameters<typeof routeFetch>[0]) {
  const fetchMock = vi.fn(routeFetch(routes));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function statusCalls(fetchMock: ReturnType<typeof vi.fn>) {
  return fetchMock.mock.calls.filter(([url]) => url === '/api/status').length;
}

describe('StatusPage', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a loading state, then renders every component in its group', async () => {
    stubFetch({ 'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)] });
    render(<StatusPage />);

    expect(screen.getByText(/loading platform status/i)).toBeInTheDocument();

    const infra = await screen.findByRole('region', { name: /infrastructure/i });
    const services = screen.getByRole('region', { name: /platform services/i });

    for (const name of ['postgresql', 'temporal', 'minio', 'mlflow']) {
      expect(within(infra).getByRole('heading', { name })).toBeInTheDocument();
    }
    for (const name of ['worker', 'trainer', 'ranker']) {
      expect(within(services).getByRole('heading', { name })).toBeInTheDocument();
    }
    expect(screen.queryByText(/loading platform status/i)).not.toBeInTheDocument();

    // Up/down is conveyed as text on each card.
    const trainer = screen.getByRole('article', { name: 'trainer' });
    expect(within(trainer).getByText('Down')).toBeInTheDocument();
    expect(within(trainer).getByText("no worker polls task queue 'training'")).toBeInTheDocument();
    const postgres = screen.getByRole('article', { name: 'postgresql' });
    expect(within(postgres).getByText('Up')).toBeInTheDocument();
    expect(within(postgres).getByText('PostgreSQL 15.18')).toBeInTheDocument();

    // "Open" links only where the component has a URL, opening in a new tab safely.
    expect(within(postgres).queryByRole('link')).not.toBeInTheDocument();
    const temporalLink = within(screen.getByRole('article', { name: 'temporal' })).getByRole('link', {
      name: /open/i,
    });
    expect(temporalLink).toHaveAttribute('href', 'http://127.0.0.1:8233');
    expect(temporalLink).toHaveAttribute('target', '_blank');
    expect(temporalLink.getAttribute('rel')).toContain('noopener');
    expect(screen.getAllByRole('link', { name: /open/i })).toHaveLength(4);

    // Check time in local time.
    expect(screen.getByText(formatLocalTime(STATUS_ONE_DOWN.checkedAt))).toBeInTheDocument();
    expect(screen.getByText(/checked at/i)).toBeInTheDocument();
  });

  it('shows "1 of 7 components down" when one component is down', async () => {
    stubFetch({ 'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)] });
    render(<StatusPage />);

    const banner = await screen.findByTestId('status-banner');
    expect(banner).toHaveTextContent('1 of 7 components down');
  });

  it('shows an all-healthy banner when every component is up', async () => {
    stubFetch({ 'GET /api/status': [() => jsonResponse(STATUS_ALL_UP)] });
    render(<StatusPage />);

    const banner = await screen.findByTestId('status-banner');
    expect(banner).toHaveTextContent(/all healthy/i);
    expect(banner).not.toHaveTextContent(/down/i);
  });

  it('keeps the last good data visible with a stale note when a refresh fails', async () => {
    const fetchMock = stubFetch({
      'GET /api/status': [
        () => jsonResponse(STATUS_ONE_DOWN),
        () => jsonResponse({ message: 'database unavailable' }, 503),
      ],
    });
    render(<StatusPage />);
    await screen.findByTestId('status-banner');

    await act(async () => {
      screen.getByRole('button', { name: 'Refresh' }).click();
    });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/could not load platform status/i);
    expect(alert).toHaveTextContent('HTTP 503');
    expect(alert).toHaveTextContent('database unavailable');
    expect(alert).toHaveTextContent(/stale/i);
    expect(alert).toHaveTextContent(formatLocalTime(STATUS_ONE_DOWN.checkedAt));

    // Stale data is still on screen.
    expect(screen.getByTestId('status-banner')).toHaveTextContent('1 of 7 components down');
    expect(screen.getByRole('article', { name: 'trainer' })).toBeInTheDocument();
    expect(statusCalls(fetchMock)).toBe(2);
  });

  it('shows a readable network error when the first request fails, then recovers on refresh', async () => {
    stubFetch({
      'GET /api/status': [
        () => {
          throw new TypeError('Failed to fetch');
        },
        () => jsonResponse(STATUS_ALL_UP),
      ],
    });
    render(<StatusPage />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/network error/i);
    expect(alert).not.toHaveTextContent(/stale/i);
    expect(screen.queryByTestId('status-banner')).not.toBeInTheDocument();

    await act(async () => {
      screen.getByRole('button', { name: 'Refresh' }).click();
    });

    expect(await screen.findByTestId('status-banner')).toHaveTextContent(/all healthy/i);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('refreshes automatically every 10 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetchMock = stubFetch({
      'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN), () => jsonResponse(STATUS_ALL_UP)],
    });
    render(<StatusPage />);
    expect(await screen.findByTestId('status-banner')).toHaveTextContent('1 of 7 components down');
    expect(statusCalls(fetchMock)).toBe(1);

    await act(async () => {
      await vi.advanceTimersByTimeAsync(STATUS_REFRESH_MS);
    });

    await waitFor(() => expect(screen.getByTestId('status-banner')).toHaveTextContent(/all healthy/i));
    expect(statusCalls(fetchMock)).toBe(2);
  });

  it('runs the probe: busy while pending, then shows both workers', async () => {
    let resolveProbe: (response: Response) => void = () => {};
    const fetchMock = stubFetch({
      'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)],
      'POST /api/status/probe': [
        () =>
          new Promise<Response>((resolve) => {
            resolveProbe = resolve;
          }),
      ],
    });
    render(<StatusPage />);
    await screen.findByTestId('status-banner');

    const button = screen.getByRole('button', { name: 'Run probe' });
    await act(async () => {
      button.click();
    });

    const busy = screen.getByRole('button', { name: /running probe/i });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute('aria-busy', 'true');
    expect(fetchMock).toHaveBeenCalledWith('/api/status/probe', expect.objectContaining({ method: 'POST' }));

    await act(async () => {
      resolveProbe(jsonResponse(PROBE_OK));
    });

    expect(await screen.findByText('java 17')).toBeInTheDocument();
    expect(screen.getByText('python 3.11, torch 2.15 on cpu')).toBeInTheDocument();
    expect(screen.getByText('1@h')).toBeInTheDocument();
    expect(screen.getByText('2@h')).toBeInTheDocument();
    expect(screen.getByText('health-probe-1234')).toBeInTheDocument();
    const again = screen.getByRole('button', { name: 'Run probe' });
    expect(again).toBeEnabled();
    expect(again).toHaveAttribute('aria-busy', 'false');
  });

  it('shows the error message when the probe fails', async () => {
    stubFetch({
      'GET /api/status': [() => jsonResponse(STATUS_ONE_DOWN)],
      'POST /api/status/probe': [() => textResponse('no worker polls task queue training', 504)],
    });
    render(<StatusPage />);
    await screen.findByTestId('status-banner');

    await act(async () => {
      screen.getByRole('button', { name: 'Run probe' }).click();
    });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/probe failed/i);
    expect(alert).toHaveTextContent('HTTP 504');
    expect(alert).toHaveTextContent('no worker polls task queue training');
    expect(screen.getByRole('button', { name: 'Run probe' })).toBeEnabled();
  });
});
