import {
  type DataMap,
  dataMap,
  type ErasureAction,
  type RetentionCategory,
} from '../../../platform/db/data-map.js';
import type { ExpiringCategory } from './categories.js';
import { expiringCategories } from './categories.js';

/**
 * What the retention purge deletes, read from the data map (never a hard-coded table list):
 *
 * - `anchor`: the conversations table. A conversation past its period goes as a whole, with
 *   everything that hangs off it, after its numbers are rolled into the daily aggregates.
 * - `followers`: tables whose `expiry.conversation` names their conversation column. Their rows
 *   go with the conversation, and are never deleted (even by age) while it is held.
 * - `aged`: tables (other than the anchor) whose `expiry.age` gives the row's age; a row goes
 *   when that age passes its category's period.
 * - `references`: other tables with a `conversation_id` column; when the conversation goes,
 *   the column gets its declared erasure action (e.g. model_calls: set null).
 *
 * A row's category is the retention category the data map gives its age column (or, for a
 * follower without age, its conversation column).
 */
export const ANCHOR_TABLE = 'conversations';

export type AgedTable = {
  table: string;
  category: ExpiringCategory;
  age: readonly string[];
  conversation: string | null;
};
export type FollowerTable = { table: string; conversation: string };
export type ReferenceTable = { table: string; column: string; action: ErasureAction };

export type PurgePlan = {
  anchor: { table: string; category: ExpiringCategory; age: readonly string[] };
  followers: FollowerTable[];
  aged: AgedTable[];
  references: ReferenceTable[];
};

const isExpiring = (c: RetentionCategory): c is ExpiringCategory =>
  (expiringCategories as readonly string[]).includes(c);

export function purgePlan(map: DataMap = dataMap): PurgePlan {
  const anchorPolicy = map[ANCHOR_TABLE];
  const anchorAge = anchorPolicy?.expiry?.age;
  if (!anchorPolicy || !anchorAge?.length) throw new Error('data map: conversations need expiry.age');
  const anchorCategory = anchorPolicy.columns[anchorAge[0]!]!.retention;
  if (!isExpiring(anchorCategory)) throw new Error('data map: conversations must expire');

  const followers: FollowerTable[] = [];
  const aged: AgedTable[] = [];
  const references: ReferenceTable[] = [];
  for (const [table, policy] of Object.entries(map)) {
    if (table === ANCHOR_TABLE) continue;
    const expiry = policy.expiry;
    if (expiry?.conversation) followers.push({ table, conversation: expiry.conversation });
    if (expiry?.age?.length) {
      const category = policy.columns[expiry.age[0]!]?.retention;
      if (!category || !isExpiring(category)) {
        throw new Error(`data map: ${table}.${expiry.age[0]} is not in an expiring category`);
      }
      aged.push({ table, category, age: expiry.age, conversation: expiry.conversation ?? null });
    }
    const ref = policy.columns.conversation_id;
    if (!expiry?.conversation && ref && ref.erasure !== 'keep') {
      references.push({ table, column: 'conversation_id', action: ref.erasure });
    }
  }
  return {
    anchor: { table: ANCHOR_TABLE, category: anchorCategory, age: anchorAge },
    followers,
    aged,
    references,
  };
}
