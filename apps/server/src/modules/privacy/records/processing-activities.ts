import type { ProcessingActivity } from '@confidant/contract';
import {
  type DataMap,
  type RetentionCategory,
  retentionCategories,
} from '../../../platform/db/data-map-types.js';
import { type ExpiringCategory, expiringCategories } from '../retention/categories.js';

/** Periods the purge enforces for the org, by expiring category (null = kept). */
export type Periods = Record<ExpiringCategory, number | null>;

const isExpiring = (c: RetentionCategory): c is ExpiringCategory =>
  (expiringCategories as readonly string[]).includes(c);

/**
 * One processing activity per table of the data map: its purpose, whose data, the data
 * categories and retention categories of its columns (with the period in force for this org)
 * and its encrypted columns. Every data-map table appears, so the records cannot drift from
 * what is stored (data-map.test.ts keeps the data map complete).
 */
export function processingActivities(map: DataMap, periods: Periods): ProcessingActivity[] {
  return Object.entries(map)
    .map(([table, policy]) => {
      const columns = Object.entries(policy.columns);
      const retention = [...new Set(columns.map(([, c]) => c.retention))].sort().map((category) => ({
        category,
        description: retentionCategories[category],
        days: isExpiring(category) ? periods[category] : null,
      }));
      return {
        table,
        purpose: policy.purpose,
        subjects: policy.subject,
        dataCategories: [...new Set(columns.map(([, c]) => c.category))].sort(),
        retention,
        encryptedColumns: columns.filter(([, c]) => c.encrypted).map(([name]) => name),
      };
    })
    .sort((a, b) => a.table.localeCompare(b.table));
}
