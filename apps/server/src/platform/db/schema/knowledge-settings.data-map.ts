import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const config = col('org.config', 'org_lifetime', 'keep');
const ops = col('system.operations', 'org_lifetime', 'keep');

/** Knowledge settings (modules/knowledge/embeddings/embedding-choice.ts): configuration only. */
export const knowledgeSettingsDataMap: DataMap = {
  knowledge_settings: {
    purpose: 'Which embedding model an organization’s knowledge base is searched with',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      embedding_provider_id: config,
      embedding_model: config,
      created_at: ops,
      updated_at: ops,
    },
  },
};
