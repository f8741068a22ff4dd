import { type ExpiringCategory, expiringCategories } from '../../../platform/db/schema/index.js';

/**
 * What each expiring retention category holds, its default period and whether "keep" (no
 * period) is allowed. Keep is allowed only where the rows hold no personal data: model-call
 * records are counts (their conversation id is cleared when the conversation is purged).
 * Transcripts, contact details and notifications are personal data the product promises to
 * purge; finished jobs are deleted by the queue itself within weeks, so "keep" could not be
 * honoured there.
 *
 * The product writes no log files: logs go to stdout, and how long they are kept is the
 * operator's choice (their log collector), so there is no "logs" category to set here.
 */
export type CategoryInfo = {
  label: string;
  description: string;
  defaultDays: number;
  keepAllowed: boolean;
};

export const MIN_DAYS = 1;
export const MAX_DAYS = 3650;

export const categoryInfo: Record<ExpiringCategory, CategoryInfo> = {
  transcripts: {
    label: 'Conversation transcripts',
    description:
      'Conversations with their messages, notes, live events, read markers and action call logs, counted from the last message (an admin’s action test from when it ran). Anonymized daily counts are kept.',
    defaultDays: 30,
    keepAllowed: false,
  },
  contacts: {
    label: 'Visitor contact details',
    description:
      'Email addresses visitors left with consent, and answers to flow forms with their consent records, counted from when they were left.',
    defaultDays: 30,
    keepAllowed: false,
  },
  notification_outbox: {
    label: 'Notification outbox',
    description:
      'Emails and Slack messages sent to your team or to visitors, counted from when they were queued.',
    defaultDays: 30,
    keepAllowed: false,
  },
  model_calls: {
    label: 'Model-call records',
    description:
      'Metering of model calls (tokens, duration, outcome; never prompts). Token counts are kept in the daily aggregates.',
    defaultDays: 365,
    keepAllowed: true,
  },
  job_payloads: {
    label: 'Finished background jobs',
    description:
      'Finished jobs of your organization in the job queue (ids only), counted from when they finished.',
    defaultDays: 7,
    keepAllowed: false,
  },
  recordings: {
    label: 'Recordings',
    description:
      'Audio stored encrypted: uploaded calls (counted from the upload; the transcript and scores follow their own period) and voice messages a visitor agreed to keep (counted from the recording; they also go with their conversation).',
    defaultDays: 90,
    keepAllowed: false,
  },
  call_transcripts: {
    label: 'Call transcripts and scores',
    description:
      'Uploaded calls with their transcripts, scores, coaching and metrics (the audio too, if still kept), counted from the upload.',
    defaultDays: 365,
    keepAllowed: false,
  },
};

export { type ExpiringCategory, expiringCategories };
