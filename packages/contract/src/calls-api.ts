/**
 * Call analysis (issue 13): uploaded sales and support calls are transcribed, redacted, scored
 * against the org's rubrics with evidence, and measured locally (talk ratio, monologues…).
 *
 * Routes (admin API and console; roles: `agent` and above upload and read, `admin` edits
 * rubrics and settings and deletes calls):
 * - `POST /v1/calls` multipart: `file` (mp3, wav, m4a, ogg, webm; sniffed), optional fields
 *   `title`, `repName`, `rubricId`, `language`, `customerEmail`, `customerPhone` (kept as keyed
 *   hashes + encrypted values: the customer's data-subject requests find the call)
 *   → 202 CallSummary (status `queued`)
 * - `GET /v1/calls?status&repName&rubricId&minScore&maxScore&from&to&q&cursor&limit` → CallPage
 * - `GET /v1/calls/{id}` → CallDetail; `PATCH /v1/calls/{id}` CallChanges → CallDetail
 * - `GET /v1/calls/{id}/audio` → the decrypted audio (supports `Range`, for seeking)
 * - `POST /v1/calls/{id}/reprocess` `{ rubricId? }` → 202 (transcript kept, scoring redone)
 * - `DELETE /v1/calls/{id}` → 204 (audio, transcript, scores)
 * - `GET /v1/calls/dashboard?from&to&rubricId` → CallDashboard
 * - `GET /v1/calls/reps/{repName}/coaching` → RepCoaching
 * - `GET|POST /v1/rubrics`, `GET|PATCH|DELETE /v1/rubrics/{id}` (Rubric, RubricInput)
 * - `GET|PUT /v1/calls/settings` (CallSettings)
 */

export type CallStatus = 'queued' | 'transcribing' | 'analyzing' | 'ready' | 'failed';

/** A model an org configured on one of its providers (modules/models). */
export type CallModelChoice = { providerId: string; model: string };

export type CallSettings = {
  /** Speech-to-text model (type 'transcription'); null: calls cannot be processed. */
  transcription: CallModelChoice | null;
  /** Chat model used for rubric scoring and coaching; null: local metrics only. */
  scoring: CallModelChoice | null;
  /** Rubric used when an upload names none; null: the newest rubric. */
  defaultRubricId: string | null;
  /** Upload limits (the server's hard caps bound them). */
  maxBytes: number;
  maxDurationSeconds: number;
};

export type CallSummary = {
  id: string;
  title: string;
  /** The rep whose call it is (free text, e.g. the salesperson's name); null when not given. */
  repName: string | null;
  status: CallStatus;
  /** 0..1 while processing. */
  progress: number;
  /** Why processing failed, in words (never a provider's raw response). */
  error: string | null;
  mediaType: string;
  byteSize: number;
  durationSeconds: number | null;
  language: string | null;
  /** Weighted total of the main score, 0..100; null until scored. */
  score: number | null;
  rubricId: string | null;
  createdAt: string;
  processedAt: string | null;
};

export type CallPage = { calls: CallSummary[]; nextCursor: string | null };

/** One transcript line. Text is as transcribed (visible to the org only); the model saw it redacted. */
export type CallSegment = {
  index: number;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  /** 'A', 'B', … (diarized) or 'A' alone when the provider gives no speakers. */
  speaker: string;
  text: string;
};

export type CallSpeakerMetrics = {
  speaker: string;
  /** What this speaker is on the call; the rep is the one the org named (default: first speaker). */
  role: 'rep' | 'customer' | 'unknown';
  talkSeconds: number;
  /** Share of all talk time, 0..1 (talk/listen ratio). */
  talkShare: number;
  longestMonologueSeconds: number;
  questions: number;
  /** Times this speaker started while another was still speaking. */
  interruptions: number;
  wordsPerMinute: number;
  fillerWords: number;
  fillerCounts: Record<string, number>;
};

export type CallMetrics = {
  durationSeconds: number;
  speakers: CallSpeakerMetrics[];
  longestMonologue: { speaker: string; start: number; end: number; seconds: number } | null;
  questions: number;
  interruptions: number;
  wordsPerMinute: number;
  fillerWords: number;
};

export type CallEvidence = {
  /** Exact words from the transcript (as the org sees it). */
  quote: string;
  segmentIndex: number;
  /** The cited segment's start and end, seconds. */
  start: number;
  end: number;
};

export type CallCriterionScore = {
  criterionId: string;
  name: string;
  score: number;
  /** The rubric's scale. */
  min: number;
  max: number;
  weight: number;
  rationale: string;
  evidence: CallEvidence[];
};

export type CallScore = {
  rubricId: string;
  rubricName: string;
  /** Weighted, normalised to 0..100. */
  total: number;
  criteria: CallCriterionScore[];
  providerId: string | null;
  model: string;
  scoredAt: string;
};

export type CallCoaching = {
  wentWell: string[];
  tryNext: string[];
};

export type CallDetail = CallSummary & {
  /** Whether the provider labelled speakers; false: a single-speaker transcript. */
  diarized: boolean;
  /** Which speaker is the rep ('A' unless changed). */
  repSpeaker: string;
  segments: CallSegment[];
  metrics: CallMetrics | null;
  scores: CallScore[];
  coaching: CallCoaching | null;
};

export type CallChanges = Partial<{ title: string; repName: string | null; repSpeaker: string }>;

export type RubricCriterion = {
  id: string;
  name: string;
  description: string;
  /** Relative weight, > 0. */
  weight: number;
};

export type Rubric = {
  id: string;
  name: string;
  description: string;
  scale: { min: number; max: number };
  criteria: RubricCriterion[];
  createdAt: string;
  updatedAt: string;
};

/** POST /v1/rubrics (PATCH: any subset). Criterion ids are optional on input (generated). */
export type RubricInput = {
  name: string;
  description?: string;
  scale?: { min: number; max: number };
  criteria: { id?: string; name: string; description: string; weight?: number }[];
};

/** Team dashboard: averages per ISO week (Monday, YYYY-MM-DD). */
export type CallDashboard = {
  from: string;
  to: string;
  calls: number;
  averageScore: number | null;
  perCriterion: {
    criterionId: string;
    name: string;
    average: number | null;
    weeks: { week: string; average: number; calls: number }[];
  }[];
  perRep: {
    repName: string;
    calls: number;
    averageScore: number | null;
    talkShare: number | null;
    weeks: { week: string; average: number; calls: number }[];
  }[];
};

/** Coaching for one rep over time: recurring strengths and things to try, from their recent calls. */
export type RepCoaching = {
  repName: string;
  calls: number;
  averageScore: number | null;
  /** Per criterion: the rep's average against the team's. */
  criteria: { criterionId: string; name: string; average: number | null; teamAverage: number | null }[];
  strengths: string[];
  focusAreas: string[];
  recent: { callId: string; title: string; score: number | null; createdAt: string }[];
};
