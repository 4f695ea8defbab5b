import { requestJson } from './http';

/** One platform component as reported by GET /api/status. */
export interface ComponentStatus {
  name: string;
  /** "infrastructure" or "service"; other values are shown in an "Other" group. */
  kind: 'infrastructure' | 'service' | (string & {});
  up: boolean;
  detail: string | null;
  /** Web UI of the component, if it has one. */
  url: string | null;
}

/** Response of GET /api/status. */
export interface PlatformStatus {
  /** ISO-8601 instant of the check. */
  checkedAt: string;
  healthy: boolean;
  components: ComponentStatus[];
}

export interface WorkerInfo {
  taskQueue: string;
  identity: string;
  runtime: string;
  version: string;
}

/** Response of POST /api/status/probe. */
export interface ProbeResult {
  probeId: string;
  pipelineWorker: WorkerInfo;
  trainingWorker: WorkerInfo;
}

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
