import { requestJson } from './http';
import type { components } from './schema';

export const DEFAULT_MODEL_NAME = 'rankops-ranker';

/** Where a version stands in its life (registry lifecycle; null for versions without one). */
export const LIFECYCLES = [
  'AWAITING_APPROVAL',
  'IN_CANARY',
  'CHAMPION',
  'RETIRED',
  'ROLLED_BACK',
  'ABORTED',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
] as const;
export type Lifecycle = (typeof LIFECYCLES)[number] | (string & {});

/** One registered version; runId and datasetId are its tags rankops.run_id and rankops.dataset_id. */
export type ModelVersion = components['schemas']['Version'];

/** GET /api/models/{name}/versions (registry/ModelVersions); aliases maps alias -> version. */
export type ModelVersions = components['schemas']['ModelVersions'];

export function fetchModelVersions(name: string, signal?: AbortSignal): Promise<ModelVersions> {
  return requestJson<ModelVersions>(`/api/models/${encodeURIComponent(name)}/versions`, { signal, timeoutMs: 20_000 });
}
