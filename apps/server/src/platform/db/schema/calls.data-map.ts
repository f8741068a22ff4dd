import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const config = col('org.config', 'org_lifetime', 'keep');
const configOps = col('system.operations', 'org_lifetime', 'keep');
const configId = col('system.identifier', 'org_lifetime', 'keep');

/** Call rows and what hangs off them: deleted with the call (retention, erasure, API delete). */
const callId = col('system.identifier', 'call_transcripts', 'delete_row');
const callOps = col('system.operations', 'call_transcripts', 'delete_row');
const callMetricsCol = col('system.metrics', 'call_transcripts', 'delete_row');
const callContent = col('user.content.chat', 'call_transcripts', 'crypto_shred', {
  subject: true,
  encrypted: true,
});
const recordingOps = col('system.operations', 'recordings', 'delete_row');

/**
 * Call analysis (modules/calls/). A call's customer is a data subject (found by the keyed hashes
 * of the email/phone given at upload; export-subject/erase-subject handle calls through
 * modules/calls/privacy.ts, since calls have no conversation). The audio follows the
 * `recordings` period (default 90 days), everything else the `call_transcripts` period (default
 * 365 days); the purge deletes the audio blob file with its row.
 */
export const callsDataMap: DataMap = {
  rubrics: {
    purpose: 'The criteria (with descriptions, weights and a scale) the org scores its calls against',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: configId,
      name: config,
      description: config,
      scale_min: config,
      scale_max: config,
      criteria: config,
      created_at: configOps,
      updated_at: configOps,
    },
  },
  call_settings: {
    purpose: 'Which models transcribe and score the org’s calls, the default rubric, upload limits',
    subject: 'none',
    columns: {
      org_id: orgRef,
      transcription_provider_id: configId,
      transcription_model: config,
      scoring_provider_id: configId,
      scoring_model: config,
      default_rubric_id: configId,
      max_bytes: config,
      max_duration_seconds: config,
      updated_at: configOps,
    },
  },
  calls: {
    purpose:
      'Uploaded sales and support calls: title, rep, processing status, media facts, the score, and (when given) the customer’s email/phone to find their calls on request',
    subject: 'visitor',
    expiry: { age: ['created_at'] },
    columns: {
      org_id: orgRef,
      id: callId,
      title: col('org.content.note', 'call_transcripts', 'delete_row'),
      rep_name: col('org.content.note', 'call_transcripts', 'delete_row'),
      status: callOps,
      progress: callOps,
      error: callOps,
      media_type: callOps,
      byte_size: callOps,
      duration_seconds: callOps,
      language: callOps,
      rubric_id: callId,
      rep_speaker: callOps,
      diarized: callOps,
      score: callMetricsCol,
      customer_email_hash: col('user.contact.email', 'call_transcripts', 'delete_row', { subject: true }),
      customer_email_ciphertext: col('user.contact.email', 'call_transcripts', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      customer_phone_hash: col('user.identifier', 'call_transcripts', 'delete_row', { subject: true }),
      customer_phone_ciphertext: col('user.identifier', 'call_transcripts', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      created_by: callId,
      created_at: callOps,
      updated_at: callOps,
      processed_at: callOps,
    },
  },
  call_recordings: {
    purpose:
      'Where a call’s audio is stored (encrypted blob key) and its data key wrapped under the master key',
    subject: 'visitor',
    expiry: { age: ['created_at'] },
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'recordings', 'delete_row'),
      call_id: col('system.identifier', 'recordings', 'delete_row'),
      blob_key: col('system.identifier', 'recordings', 'delete_row'),
      wrapped_key: col('org.credential.secret', 'recordings', 'crypto_shred', { encrypted: true }),
      key_version: recordingOps,
      media_type: recordingOps,
      byte_size: recordingOps,
      created_at: recordingOps,
    },
  },
  call_segments: {
    expiry: { age: ['created_at'] },
    purpose: 'Call transcripts: timed lines with speaker labels (text encrypted)',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: callId,
      call_id: callId,
      index: callOps,
      start_seconds: callOps,
      end_seconds: callOps,
      speaker: callOps,
      text_ciphertext: callContent,
      created_at: callOps,
    },
  },
  call_scores: {
    expiry: { age: ['created_at'] },
    purpose: 'Rubric scores of a call per criterion, with rationales and quoted evidence (encrypted)',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: callId,
      call_id: callId,
      rubric_id: callId,
      rubric_name: callOps,
      total: callMetricsCol,
      criteria: callMetricsCol,
      details_ciphertext: callContent,
      provider_id: callId,
      model: callOps,
      created_at: callOps,
    },
  },
  call_metrics: {
    expiry: { age: ['created_at'] },
    purpose: 'Local measurements of a call (talk ratio, monologues, questions, pace): numbers only',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      call_id: callId,
      metrics: callMetricsCol,
      created_at: callOps,
    },
  },
  call_coaching: {
    expiry: { age: ['created_at'] },
    purpose: 'Coaching for the rep on one call: what went well, what to try next (encrypted)',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: callId,
      call_id: callId,
      coaching_ciphertext: callContent,
      provider_id: callId,
      model: callOps,
      created_at: callOps,
    },
  },
};
