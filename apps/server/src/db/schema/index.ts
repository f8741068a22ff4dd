export * from './access.js';
export * from './agents.js';
export * from './audit.js';
export * from './auth.js';
export * from './conversations.js';
export * from './knowledge.js';
export * from './models.js';
export * from './organizations.js';
