/**
 * The answer path's redactor now lives in modules/models/redaction (typed detectors, person
 * names, addresses…); this re-export keeps existing imports working.
 */
export {
  createRedactor,
  createStreamRestorer,
  type EntityType as PiiKind,
  ibanValid,
  luhnValid,
  type Redactor,
} from '../models/redaction/index.js';
