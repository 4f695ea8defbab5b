/** Error raised for any failed API call: HTTP error status, network failure or bad response body. */
export class ApiError extends Error {
  /** HTTP status code, or undefined when the request never got a response. */
  readonly status: number | undefined;
  /** The API's error body ({status, title, detail, violations}) when it sent one. */
  readonly body: ApiErrorBody | undefined;

  constructor(message: string, status?: number, body?: ApiErrorBody) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }

  /** One entry per bad request field (400 only). */
  get violations(): FieldViolation[] {
    return this.body?.violations ?? [];
  }
}

/** One bad field of a request: `field` is a path such as "window.end", "gate.k" or "regions[0]". */
export interface FieldViolation {
  field: string;
  message: string;
}

/** Every error the rankops API answers, in one shape (services/api errors/ApiError). */
export interface ApiErrorBody {
  status?: number;
  title?: string;
  detail?: string;
  violations?: FieldViolation[];
}

function parseErrorBody(text: string): ApiErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const body = parsed as ApiErrorBody;
      return {
        ...body,
        violations: Array.isArray(body.violations)
          ? body.violations.filter((v) => v && typeof v.field === 'string' && typeof v.message === 'string')
          : undefined,
      };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

type UnauthorizedListener = () => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/**
 * Called whenever an API call answers 401 (the session expired or was signed out elsewhere),
 * except the sign-in request itself. Returns a function that removes the listener.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListener = listener;
  return () => {
    if (unauthorizedListener === listener) unauthorizedListener = null;
  };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON, or as-is when it is URLSearchParams (form-encoded). */
  body?: unknown;
  /** Do not report a 401 to the onUnauthorized listener (the sign-in form handles it itself). */
  quietUnauthorized?: boolean;
  signal?: AbortSignal;
  /** Abort the request after this many milliseconds. */
  timeoutMs?: number;
}

const MAX_ERROR_TEXT = 300;

/**
 * Sent with every unsafe request (anything but GET/HEAD): the API refuses a state change signed in
 * with the session cookie without it (cross-site request forgery protection, services/api
 * security/RequestGuard). A page on another origin cannot add a custom header without a CORS
 * preflight, which the API never grants.
 */
export const CSRF_HEADER = 'X-Rankops-Csrf';

/** True for methods that may change state, which must carry CSRF_HEADER. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());
}

/** Picks a human-readable message out of an error response body (JSON or plain text). */
export function errorMessageFromBody(body: string, status: number, statusText: string): string {
  const fallback = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const text = body.trim();
  if (!text) {
    return fallback;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string' && parsed.trim()) {
      return `${fallback}: ${parsed.trim()}`;
    }
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      for (const key of ['message', 'error', 'detail', 'details', 'title']) {
        const value = record[key];
        if (typeof value === 'string' && value.trim()) {
          return `${fallback}: ${value.trim()}`;
        }
      }
    }
  } catch {
    // Not JSON: use the text itself (HTML error pages are reduced to their text content).
  }
  const plain = text.startsWith('<') ? text.replace(/<[^>]*>/g, ' ') : text;
  const squashed = plain.replace(/\s+/g, ' ').trim();
  if (!squashed) {
    return fallback;
  }
  const short = squashed.length > MAX_ERROR_TEXT ? `${squashed.slice(0, MAX_ERROR_TEXT)}…` : squashed;
  return `${fallback}: ${short}`;
}

/** Fetches a JSON resource; throws ApiError with a readable message on any failure. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, timeoutMs, quietUnauthorized = false } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);

  try {
    let response: Response;
    try {
      const form = body instanceof URLSearchParams;
      response = await fetch(path, {
        method,
        headers: {
          Accept: 'application/json',
          ...(isUnsafeMethod(method) ? { [CSRF_HEADER]: '1' } : {}),
          ...(body === undefined
            ? {}
            : { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' }),
        },
        body: body === undefined ? undefined : form ? body.toString() : JSON.stringify(body),
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch (err) {
      if (timedOut) {
        throw new ApiError(`Request timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s`);
      }
      if (err instanceof DOMException && err.name === 'AbortError') {
        throw err; // caller cancelled; not a user-visible error
      }
      const detail = err instanceof Error && err.message ? ` (${err.message})` : '';
      throw new ApiError(`Network error: could not reach the rankops API${detail}`);
    }

    const text = await response.text();
    if (!response.ok) {
      if (response.status === 401 && !quietUnauthorized) unauthorizedListener?.();
      throw new ApiError(
        errorMessageFromBody(text, response.status, response.statusText),
        response.status,
        parseErrorBody(text),
      );
    }
    if (!text.trim()) {
      return undefined as T; // 204 No Content and other empty answers
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(`Unexpected response from ${path}: not valid JSON`, response.status);
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
