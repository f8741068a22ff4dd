export { ibanValid, luhnValid } from './checksums.js';
export { detectEntities } from './detect-entities.js';
export { ENTITY_TYPES, type EntitySpan, type EntityType } from './entity.js';
export { createRedactor, createStreamRestorer, type Redactor } from './redactor.js';
