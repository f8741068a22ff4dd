import type { AuditEntry } from '@confidant/contract';

/** Actions in words where it reads better than the identifier; others are spelled out from it. */
const actionWords: Record<string, string> = {
  'user.signed_in': 'Signed in',
  'user.sign_in_failed': 'Sign-in failed',
  'user.two_factor_enabled': 'Two-factor authentication turned on',
  'user.two_factor_disabled': 'Two-factor authentication turned off',
  'access.denied': 'Request denied (role)',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'member.added': 'Member added',
  'member.removed': 'Member removed',
  'member.role_changed': 'Member role changed',
  'invitation.created': 'Invitation sent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
  'org.created': 'Organization created',
  'org.client_created': 'Client organization created',
  'agent.avatar_set': 'Agent avatar changed',
  'agent.avatar_removed': 'Agent avatar removed',
  'model_provider.updated': 'Model provider updated',
  'model_provider.deleted': 'Model provider removed',
  'knowledge_source.created': 'Knowledge source added',
  'knowledge_source.deleted': 'Knowledge source deleted',
  'knowledge_source.reindex_requested': 'Knowledge source re-index requested',
  'conversation.note_added': 'Private note added',
  'visitor_contact.consented': 'Visitor shared contact details',
  'privacy.retention.updated': 'Retention period changed',
  'privacy.retention.limit_set': 'Retention limit set by provider',
  'privacy.retention.purged': 'Retention purge removed data',
  'conversation.legal_hold_placed': 'Legal hold placed',
  'conversation.legal_hold_lifted': 'Legal hold lifted',
  'visitor.identified': 'Visitor identified by the site',
  'agent.identity_secret_rotated': 'Agent identity secret generated',
  'privacy.request_received': 'Privacy request received',
  'privacy.export_completed': 'Privacy export completed',
  'privacy.export_downloaded': 'Privacy export downloaded',
  'privacy.records_exported': 'Records of processing downloaded',
  'privacy.erasure_completed': 'Privacy erasure completed',
  'privacy.request_failed': 'Privacy request failed',
};

export function actionInWords(action: string): string {
  const known = actionWords[action];
  if (known) return known;
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The filter menu: prefixes of the actions the server records. */
export const actionFilters: { value: string; label: string }[] = [
  { value: '', label: 'All actions' },
  { value: 'api_key.', label: 'API keys' },
  { value: 'member.', label: 'Members' },
  { value: 'invitation.', label: 'Invitations' },
  { value: 'agent.', label: 'Agents' },
  { value: 'knowledge_source.', label: 'Knowledge' },
  { value: 'conversation.', label: 'Conversations' },
  { value: 'canned_response.', label: 'Canned responses' },
  { value: 'model_provider.', label: 'Model provider' },
  { value: 'privacy.', label: 'Privacy' },
  { value: 'org.', label: 'Organization' },
  { value: 'user.', label: 'Sign-ins and account security' },
  { value: 'access.', label: 'Denied requests' },
];

/**
 * A long id shortened for the table; the full id is in the title and the actor filter. A route
 * ("POST /v1/agents") is words, not an id, and is shown whole.
 */
export const shortId = (id: string) => (id.length > 14 && !id.includes('/') ? `${id.slice(0, 12)}…` : id);

export const actorTypeWords = (type: string) =>
  ({ user: 'Person', api_key: 'API key', system: 'System', visitor: 'Visitor', platform: 'Platform' })[
    type
  ] ?? type.replace(/_/g, ' ');

const targetTypeWords: Record<string, string> = {
  api_key: 'API key',
  org: 'Organization',
  privacy_request: 'Privacy request',
  route: 'Route',
};

export function targetWords(entry: AuditEntry): string | null {
  if (!entry.targetType) return null;
  const words = targetTypeWords[entry.targetType] ?? entry.targetType.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
