import { requestJson } from './http';

/** schedules/ScheduleViews.RecentAction */
export interface RecentAction {
  scheduledAt: string;
  startedAt: string;
  workflowId: string;
  runId: string | null;
}

/** schedules/ScheduleViews.ScheduleView (GET /api/schedules). */
export interface Schedule {
  id: string;
  description?: string | null;
  cron: string;
  timezone: string;
  windowDays: number;
  paused: boolean;
  note?: string | null;
  nextRuns: string[];
  recentActions: RecentAction[];
  actionCount: number;
  createdAt: string;
  createdBy: string;
  run?: { modelName?: string; modelFamily?: string; device?: string } | null;
}

export function listSchedules(signal?: AbortSignal): Promise<Schedule[]> {
  return requestJson<Schedule[]>('/api/schedules', { signal, timeoutMs: 15_000 });
}

export function pauseSchedule(id: string, paused: boolean, note: string): Promise<Schedule> {
  return requestJson<Schedule>(`/api/schedules/${encodeURIComponent(id)}/${paused ? 'pause' : 'unpause'}`, {
    method: 'POST',
    body: { note: note.trim() || null },
    timeoutMs: 30_000,
  });
}

export function triggerSchedule(id: string): Promise<{ scheduleId: string; command: string }> {
  return requestJson(`/api/schedules/${encodeURIComponent(id)}/trigger`, { method: 'POST', timeoutMs: 30_000 });
}
