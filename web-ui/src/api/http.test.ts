import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, errorMessageFromBody, isUnsafeMethod, requestJson } from './http';

describe('errorMessageFromBody', () => {
  it('uses the message of a JSON error body', () => {
    expect(errorMessageFromBody('{"message":"probe timed out"}', 500, 'Internal Server Error')).toBe(
      'HTTP 500 Internal Server Error: probe timed out',
    );
  });

  it('uses plain text bodies and strips HTML tags', () => {
    expect(errorMessageFromBody('trainer down', 503, '')).toBe('HTTP 503: trainer down');
    expect(errorMessageFromBody('<html><body><h1>Bad Gateway</h1></body></html>', 502, '')).toBe(
      'HTTP 502: Bad Gateway',
    );
  });

  it('falls back to the status line for empty bodies', () => {
    expect(errorMessageFromBody('  ', 404, 'Not Found')).toBe('HTTP 404 Not Found');
  });
});

describe('requestJson and the CSRF header', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubFetch() {
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    return fetchMock;
  }

  function headersOf(fetchMock: ReturnType<typeof stubFetch>, call = 0): Record<string, string> {
    const init = (fetchMock.mock.calls[call] as unknown[])[1] as RequestInit;
    return init.headers as Record<string, string>;
  }

  it('sends X-Rankops-Csrf: 1 with every unsafe request, JSON or form', async () => {
    const fetchMock = stubFetch();
    await requestJson('/api/runs', { method: 'POST', body: { modelFamily: 'mmoe' } });
    await requestJson('/api/runs/run-1/cancel', { method: 'POST' });
    await requestJson('/api/schedules/weekly', { method: 'DELETE' });
    await requestJson('/api/things/1', { method: 'PUT', body: {} });
    await requestJson('/api/session', { method: 'POST', body: new URLSearchParams({ username: 'erin', password: 'x' }) });
    for (let call = 0; call < 5; call++) {
      expect(headersOf(fetchMock, call)[CSRF_HEADER]).toBe('1');
    }
    expect(headersOf(fetchMock, 4)['Content-Type']).toBe('application/x-www-form-urlencoded');
  });

  it('sends no CSRF header with reads', async () => {
    const fetchMock = stubFetch();
    await requestJson('/api/runs');
    await requestJson('/api/me', { method: 'GET' });
    expect(headersOf(fetchMock, 0)).not.toHaveProperty(CSRF_HEADER);
    expect(headersOf(fetchMock, 1)).not.toHaveProperty(CSRF_HEADER);
  });

  it('classifies methods', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'post'].map(isUnsafeMethod)).toEqual([true, true, true, true, true]);
    expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(isUnsafeMethod)).toEqual([false, false, false, false]);
  });
});
