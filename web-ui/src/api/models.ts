import { requestJson } from './http';

export const DEFAULT_MODEL_NAME = 'rankops-ranker';

export interface ModelVersion {
  version: string;
  status: string;
  source: string;
  mlflowRunId: string | null;
  createdAtMillis: number;
  aliases: string[];
  /** tag rankops.run_id */
  runId: string | null;
  /** tag rankops.dataset_id */
  datasetId: string | null;
  tags: Record<string, string>;
}

/** GET /api/models/{name}/versions (registry/ModelVersions). */
export interface ModelVersions {
  name: string;
  description: string | null;
  /** alias -> version */
  aliases: Record<string, string>;
  versions: ModelVersion[];
}

export function fetchModelVersions(name: string, signal?: AbortSignal): Promise<ModelVersions> {
  return requestJson<ModelVersions>(`/api/models/${encodeURIComponent(name)}/versions`, { signal, timeoutMs: 20_000 });
}
