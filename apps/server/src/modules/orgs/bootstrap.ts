import { eq } from 'drizzle-orm';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { organizations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { installApiKey } from '../api-keys/service.js';
import { recordAudit } from '../audit/service.js';

/**
 * Makes sure the platform organization exists, and installs CONFIDANT_BOOTSTRAP_API_KEY (stored
 * only by hash) as a platform owner key when it is set. Idempotent: safe on every boot.
 */
export async function ensurePlatform(
  database: Database,
  keyring: Keyring,
  config: Pick<Config, 'bootstrapApiKey'>,
): Promise<string> {
  const [existing] = await database.db
    .select()
    .from(organizations)
    .where(eq(organizations.kind, 'platform'))
    .limit(1);
  let platformId = existing?.id;
  if (!platformId) {
    const [created] = await database.db
      .insert(organizations)
      .values({ kind: 'platform', name: 'Platform' })
      .returning();
    platformId = created!.id;
    await withTenant(database, [platformId], (tx) =>
      recordAudit(
        tx,
        keyring,
        platformId!,
        { type: 'system', id: null },
        {
          action: 'org.created',
          targetType: 'organization',
          targetId: platformId!,
          metadata: { kind: 'platform' },
        },
      ),
    );
  }
  if (config.bootstrapApiKey) {
    const key = config.bootstrapApiKey;
    await withTenant(database, [platformId], (tx) =>
      installApiKey(
        tx,
        keyring,
        platformId!,
        { type: 'system', id: null },
        key,
        'Bootstrap platform key',
        'owner',
      ),
    );
  }
  return platformId;
}
