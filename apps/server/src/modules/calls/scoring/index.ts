export { coachCall } from './coach-call.js';
export { scoreCall, weightedTotal } from './score-call.js';
export { verifyEvidence } from './verify-evidence.js';
