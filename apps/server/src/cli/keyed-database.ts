import type { Config } from '../platform/config.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Database } from '../platform/db/client.js';
import { withCliDatabase } from './context.js';

/**
 * Opens the database for a command that writes audit entries (org create, kb add), with the
 * master keyring their MACs are made with — loaded (and, in embedded mode, created) exactly as
 * the server does at boot. Legacy audit chains are re-sealed first, as at boot: a command may be
 * the first writer after an upgrade, and the re-seal only runs while no keyed entry exists.
 */
export async function withCliKeyedDatabase<T>(
  config: Config,
  fn: (database: Database, keyring: Keyring) => Promise<T>,
): Promise<T> {
  const { loadKeyring } = await import('../platform/crypto/master-key.js');
  const keyring = loadKeyring(config, (m) => console.warn(`warning: ${m}`));
  return withCliDatabase(config, async (database) => {
    const { describeReseal, resealLegacyAuditChains } = await import(
      '../modules/audit/reseal-legacy-chains.js'
    );
    const { info, warnings } = describeReseal(await resealLegacyAuditChains(database, keyring));
    for (const line of [...info, ...warnings.map((w) => `warning: ${w}`)]) console.warn(line);
    return fn(database, keyring);
  });
}
