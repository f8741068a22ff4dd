/**
 * Call analysis (issue 13): uploaded sales and support calls, stored encrypted, transcribed,
 * redacted, measured locally and scored against the org's rubrics, with coaching.
 *
 * Inside: audio-file.ts (sniffing and limits), service.ts (calls and their audio), rubrics.ts,
 * settings.ts, pipeline/ (the processing job's steps), jobs/ (queue names and enqueueing),
 * privacy.ts (export/erasure of a customer's calls, purge of audio blobs), metrics/ and scoring/
 * (local measures; model scoring and coaching), routes.ts.
 */
export { ACCEPTED_AUDIO, type SniffedAudio, sniffAudio } from './audio-file.js';
export {
  cancelCallProcessing,
  enqueueCallProcessing,
  handleProcessCall,
  PROCESS_CALL,
  processCallQueueOptions,
  resumePausedCalls,
} from './jobs/process-call-job.js';
export {
  CALL_PAUSED,
  CallFailure,
  CallPaused,
  type CallPipelineDeps,
  failCall,
  GENERIC_CALL_FAILURE,
  pauseCall,
  processCall,
} from './pipeline/process-call.js';
export { callRoutes } from './routes.js';
export { type CallDeps, createCall, getCall, type NewCall } from './service.js';
export { readCallSettings } from './settings.js';
