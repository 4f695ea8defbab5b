import { describe, expect, it } from 'vitest';
import { errorMessageFromBody } from './http';

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
