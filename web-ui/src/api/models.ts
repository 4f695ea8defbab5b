import { requestJson } from './http';
import type { components } from './schema';

export const DEFAULT_MODEL_NAME = 'rankops-ranker';

/** One registered version; runId and datasetId are its tags rankops.run_id and rankops.dataset_id. */
export type ModelVersion = components['schemas']['Version'];

/** GET /api/models/{name}/versions (registry/ModelVersions); aliases maps alias -> version. */
export type ModelVersions = components['schemas']['ModelVersions'];

export function fetchModelVersions(name: string, signal?: AbortSignal): Promise<ModelVersions> {
  return requestJson<ModelVersions>(`/api/models/${encodeURIComponent(name)}/versions`, { signal, timeoutMs: 20_000 });
}
