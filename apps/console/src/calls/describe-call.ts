import type { CallStatus, CallSummary } from '@confidant/contract';
import type { BadgeTone } from '../ui/badge';

export const statusLabels: Record<CallStatus, string> = {
  queued: 'Queued',
  transcribing: 'Transcribing',
  analyzing: 'Analyzing',
  ready: 'Ready',
  failed: 'Failed',
};

export const statusTones: Record<CallStatus, BadgeTone> = {
  queued: 'neutral',
  transcribing: 'info',
  analyzing: 'info',
  ready: 'success',
  failed: 'danger',
};

export const callStatuses = Object.keys(statusLabels) as CallStatus[];

/** Seconds as m:ss (or h:mm:ss), as a player shows them. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** A duration in words for screen readers and tables: "4 min 05 s", "12 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export const formatDate = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDay = (day: string) =>
  new Date(`${day}T00:00:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

export const formatPercent = (share: number) => `${Math.round(share * 100)}%`;

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A 0..100 score's tone: good (≥ 75), middling (≥ 50), weak. */
export const scoreTone = (score: number): BadgeTone =>
  score >= 75 ? 'success' : score >= 50 ? 'warning' : 'danger';

/** A criterion's score as a share of its scale, 0..1. */
export const scaleShare = (score: number, min: number, max: number) =>
  max > min ? Math.min(1, Math.max(0, (score - min) / (max - min))) : 0;

/** What the processing of a call is doing, in words (the progress bar's value text). */
export function progressText(call: Pick<CallSummary, 'status' | 'progress'>): string {
  if (call.status === 'queued') return 'Waiting to start';
  return `${statusLabels[call.status]}, ${Math.round(call.progress * 100)}%`;
}

/** Speaker labels as people read them: "Speaker A". */
export const speakerName = (speaker: string) => `Speaker ${speaker}`;
