import type { ComponentStatus, PlatformStatus, ProbeResult } from '../api/status';

/** A status answer with its components listed, as every fixture has them. */
type StatusFixture = PlatformStatus & { components: ComponentStatus[] };

/** Exactly the shape GET /api/status returns. */
export const STATUS_ONE_DOWN: StatusFixture = {
  checkedAt: '2026-11-23T12:00:00Z',
  healthy: false,
  components: [
    { name: 'postgresql', kind: 'infrastructure', up: true, detail: 'PostgreSQL 15.18', url: null },
    {
      name: 'temporal',
      kind: 'infrastructure',
      up: true,
      detail: 'frontend 127.0.0.1:7233, namespace default',
      url: 'http://127.0.0.1:8233',
    },
    { name: 'minio', kind: 'infrastructure', up: true, detail: "bucket 'rankops' ready", url: 'http://127.0.0.1:9001' },
    { name: 'mlflow', kind: 'infrastructure', up: true, detail: 'tracking server: OK', url: 'http://127.0.0.1:5500' },
    { name: 'worker', kind: 'service', up: true, detail: "task queue 'pipeline' polled by 123@host", url: null },
    { name: 'trainer', kind: 'service', up: false, detail: "no worker polls task queue 'training'", url: null },
    { name: 'ranker', kind: 'service', up: true, detail: 'ready', url: 'http://127.0.0.1:8082' },
  ],
};

export const STATUS_ALL_UP: StatusFixture = {
  checkedAt: '2026-11-23T12:00:10Z',
  healthy: true,
  components: STATUS_ONE_DOWN.components.map((c) =>
    c.name === 'trainer' ? { ...c, up: true, detail: "task queue 'training' polled by 456@host" } : c,
  ),
};

export const PROBE_OK: ProbeResult = {
  probeId: 'health-probe-1234',
  pipelineWorker: { taskQueue: 'pipeline', identity: '1@h', runtime: 'java 17', version: 'dev' },
  trainingWorker: {
    taskQueue: 'training',
    identity: '2@h',
    runtime: 'python 3.11, torch 2.15 on cpu',
    version: '0.1.0',
  },
};

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function textResponse(body: string, status: number): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain' } });
}

type Handler = (init: RequestInit | undefined) => Response | Promise<Response>;

/**
 * Stubs global fetch with per-route queues of handlers ("GET /api/status" -> [h1, h2, ...]).
 * Each call takes the next handler; the last one is reused once the queue runs dry.
 */
export function routeFetch(routes: Record<string, Handler[]>) {
  const counters: Record<string, number> = {};
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const key = `${(init?.method ?? 'GET').toUpperCase()} ${url}`;
    const handlers = routes[key];
    if (!handlers || handlers.length === 0) {
      throw new Error(`Unexpected request in test: ${key}`);
    }
    const index = Math.min(counters[key] ?? 0, handlers.length - 1);
    counters[key] = (counters[key] ?? 0) + 1;
    return handlers[index]!(init);
  };
}
