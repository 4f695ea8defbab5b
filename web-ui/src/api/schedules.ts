import { requestJson } from './http';
import type { components } from './schema';

/** schedules/ScheduleViews.RecentAction */
export type RecentAction = components['schemas']['RecentAction'];

/** schedules/ScheduleViews.ScheduleView (GET /api/schedules). */
export type Schedule = components['schemas']['ScheduleView'];

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
