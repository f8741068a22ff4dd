import { col, type DataMap } from '../data-map-types.js';

/** Satisfaction ratings: they live and go with their conversation (transcript retention). */
export const ratingsDataMap: DataMap = {
  conversation_ratings: {
    purpose: 'Satisfaction ratings (1–5) visitors gave a closed conversation, with an optional comment',
    subject: 'visitor',
    columns: {
      org_id: col('org.identifier', 'org_lifetime', 'keep'),
      id: col('system.identifier', 'transcripts', 'delete_row'),
      conversation_id: col('user.identifier', 'transcripts', 'delete_row', { subject: true }),
      agent_id: col('system.identifier', 'transcripts', 'delete_row'),
      // The visitor's opinion: theirs to export; only its anonymized sum outlives the row.
      score: col('user.content.chat', 'transcripts', 'delete_row', { subject: true }),
      comment: col('user.content.chat', 'transcripts', 'delete_row', { subject: true }),
      created_at: col('system.operations', 'transcripts', 'delete_row'),
      updated_at: col('system.operations', 'transcripts', 'delete_row'),
    },
    expiry: { conversation: 'conversation_id' },
  },
};
