import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');

export const accessDataMap: DataMap = {
  api_keys: {
    purpose: 'Organization API keys (hash and display prefix only)',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      name: col('org.config', 'org_lifetime', 'keep'),
      prefix: col('org.credential.secret', 'org_lifetime', 'keep'),
      key_hash: col('org.credential.secret', 'org_lifetime', 'keep'),
      role: col('org.config', 'org_lifetime', 'keep'),
      created_by_type: col('system.operations', 'org_lifetime', 'keep'),
      created_by_id: col('user.identifier', 'org_lifetime', 'keep', { subject: true }),
      created_at: col('system.operations', 'org_lifetime', 'keep'),
      last_used_at: col('system.operations', 'org_lifetime', 'keep'),
      revoked_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  memberships: {
    purpose: 'Which console user may act in which organization, with which role',
    subject: 'user',
    columns: {
      org_id: orgRef,
      user_id: col('user.identifier', 'account_lifetime', 'delete_row', { subject: true }),
      role: col('org.config', 'account_lifetime', 'delete_row'),
      created_at: col('system.operations', 'account_lifetime', 'delete_row'),
    },
  },
  invitations: {
    purpose: 'Pending invitations of people to an organization',
    subject: 'user',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'until_expiry', 'delete_row'),
      email: col('user.contact.email', 'until_expiry', 'delete_row', { subject: true }),
      role: col('org.config', 'until_expiry', 'delete_row'),
      token_hash: col('user.credential.secret', 'until_expiry', 'delete_row'),
      invited_by_type: col('system.operations', 'until_expiry', 'delete_row'),
      invited_by_id: col('user.identifier', 'until_expiry', 'delete_row', { subject: true }),
      created_at: col('system.operations', 'until_expiry', 'delete_row'),
      expires_at: col('system.operations', 'until_expiry', 'delete_row'),
      accepted_at: col('system.operations', 'until_expiry', 'delete_row'),
      accepted_by_user_id: col('user.identifier', 'until_expiry', 'delete_row', { subject: true }),
      revoked_at: col('system.operations', 'until_expiry', 'delete_row'),
    },
  },
};
