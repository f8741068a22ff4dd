import { col, type DataMap } from '../data-map-types.js';

export const knowledgeLexiconDataMap: DataMap = {
  knowledge_lexicon: {
    purpose: "Search vocabulary derived from an organization's knowledge (term weights, typo tolerance)",
    subject: 'none',
    columns: {
      org_id: col('org.identifier', 'org_lifetime', 'keep'),
      language: col('org.config', 'org_lifetime', 'keep'),
      lexeme: col('org.content.knowledge', 'org_lifetime', 'keep'),
      chunks: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
};
