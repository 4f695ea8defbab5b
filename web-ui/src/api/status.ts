import { requestJson } from './http';
import type { components } from './schema';

/**
 * One platform component as reported by GET /api/status; kind "infrastructure" or "service" (other
 * values are shown in an "Other" group), url the component's web UI if it has one.
 */
export type ComponentStatus = components['schemas']['ComponentStatus'];

/** Response of GET /api/status; checkedAt is the ISO-8601 instant of the check. */
export type PlatformStatus = components['schemas']['StackStatus'];

/**
 * The components of a status answer. An answer without its list says nothing about the platform
 * (it is not "all healthy"), so this throws and the page's error boundary names the problem.
 */
export function componentsOf(status: PlatformStatus): ComponentStatus[] {
  if (!Array.isArray(status.components)) throw new Error('the status answer has no component list');
  return status.components;
}

export type WorkerInfo = components['schemas']['WorkerInfo'];

/** Response of POST /api/status/probe. */
export type ProbeResult = components['schemas']['ProbeReport'];

/** The probe runs a real Temporal workflow (up to ~30 s); give it some headroom. */
export const PROBE_TIMEOUT_MS = 90_000;
export const STATUS_TIMEOUT_MS = 15_000;

export function fetchStatus(signal?: AbortSignal): Promise<PlatformStatus> {
  return requestJson<PlatformStatus>('/api/status', { signal, timeoutMs: STATUS_TIMEOUT_MS });
}

export function runProbe(signal?: AbortSignal): Promise<ProbeResult> {
  return requestJson<ProbeResult>('/api/status/probe', {
    method: 'POST',
    signal,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
}
