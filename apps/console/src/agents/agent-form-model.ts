import type { Agent, AgentChanges, BusinessHours, Weekday } from '@confidant/contract';
import { ApiError } from '../api/api-error';

/** The editable part of an agent, as the form holds it. */
export type AgentDraft = Required<AgentChanges>;

export const toDraft = (agent: Agent): AgentDraft => ({
  name: agent.name,
  instructions: agent.instructions,
  greeting: agent.greeting,
  starters: agent.starters,
  allowedOrigins: agent.allowedOrigins,
  answerMode: agent.answerMode,
  handoffEnabled: agent.handoffEnabled,
  persistence: agent.persistence,
  storeTranscripts: agent.storeTranscripts,
  businessHours: agent.businessHours,
  accentColor: agent.accentColor,
  position: agent.position,
  launcherLabel: agent.launcherLabel,
  model: agent.model,
  fallbacks: agent.fallbacks,
});

export const weekdays: { id: Weekday; name: string }[] = [
  { id: 'mon', name: 'Monday' },
  { id: 'tue', name: 'Tuesday' },
  { id: 'wed', name: 'Wednesday' },
  { id: 'thu', name: 'Thursday' },
  { id: 'fri', name: 'Friday' },
  { id: 'sat', name: 'Saturday' },
  { id: 'sun', name: 'Sunday' },
];

/** Monday to Friday, 9 to 5, in the browser's own time zone: where most people start. */
export const defaultBusinessHours = (): BusinessHours => ({
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  weekly: Object.fromEntries(
    weekdays.slice(0, 5).map((d) => [d.id, [['09:00', '17:00']]]),
  ) as BusinessHours['weekly'],
});

/** The same rule as the server (modules/agents/routes.ts): scheme://host[:port] exactly, or "*". */
export function originProblem(value: string): string | null {
  if (value === '*') return null;
  try {
    const url = new URL(value);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value) return null;
  } catch {
    // not a URL at all
  }
  return 'Must be an origin like https://www.example.com (no path or trailing slash), or *';
}

/** Field errors keyed by field, or field.index for list items ("allowedOrigins.1"). */
export type FieldErrors = Record<string, string>;

export function validateDraft(draft: AgentDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.name.trim()) errors.name = 'Give the agent a name';
  draft.starters.forEach((s, i) => {
    if (!s.trim()) errors[`starters.${i}`] = 'Write the starter or remove it';
  });
  draft.allowedOrigins.forEach((o, i) => {
    const problem = originProblem(o);
    if (problem) errors[`allowedOrigins.${i}`] = problem;
  });
  if (!/^#[0-9a-fA-F]{6}$/.test(draft.accentColor)) errors.accentColor = 'Use a colour like #0f766e';
  if ((draft.launcherLabel ?? '').trim().length > 40)
    errors.launcherLabel = 'Keep the label to 40 characters or fewer';
  const hours = draft.businessHours;
  if (hours)
    for (const { id } of weekdays)
      hours.weekly[id]?.forEach(([start, end], i) => {
        if (!start || !end || start >= end)
          errors[`businessHours.weekly.${id}.${i}`] = 'Closing must be after opening';
      });
  return errors;
}

/** The server's problem+json issues as field errors; what maps to no field stays in `general`. */
export function serverFieldErrors(error: unknown): { fields: FieldErrors; general: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, general: null };
  const issues = error.problem?.issues;
  const fields: FieldErrors = {};
  if (Array.isArray(issues))
    for (const issue of issues as { path?: string; message?: string }[]) {
      const path = (issue.path ?? '').replace(/^body\.?/, '');
      if (path && issue.message) fields[path] = issue.message;
    }
  return { fields, general: Object.keys(fields).length > 0 ? null : (error.problem?.detail ?? null) };
}
