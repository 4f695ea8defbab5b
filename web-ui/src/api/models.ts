import { requestJson } from './http';

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
  lifecycle?: Lifecycle | null;
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
