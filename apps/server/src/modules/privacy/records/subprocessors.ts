import type { Subprocessor } from '@confidant/contract';
import type { ModelProviderKind } from '@confidant/contract/model-provider-kinds';
import type { Config } from '../../../platform/config.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { listProviders } from '../../model-providers/service.js';
import { DEFAULT_BASE_URLS } from '../../models/provider-registry.js';
import { loadSlackWebhookUrl, previewsEnabled } from '../../notifications/settings.js';
import { hostOf } from './host-of.js';
import { PROVIDER_NAMES } from './provider-names.js';
import { webhookRecipients } from './webhook-recipients.js';

const MODEL_PURPOSE =
  'Writes answers to visitors’ questions from the organization’s knowledge; personal data the redactor recognises is replaced before sending';
const MODEL_DATA = ['org.config', 'org.content.knowledge', 'user.content.chat'];
/** Added for a provider with transcription or speech models: audio cannot be redacted. */
const SPEECH_PURPOSE =
  'Transcribes voice messages and call recordings and reads replies aloud; audio is sent as recorded (no redaction is possible on sound)';

/** What a provider is used for, from the types of the models the org listed on it. */
function providerPurpose(models: readonly { type: string }[]): string {
  const speech = models.some((m) => m.type === 'transcription' || m.type === 'speech');
  const text = models.length === 0 || models.some((m) => m.type === 'chat' || m.type === 'embedding');
  if (speech && !text) return SPEECH_PURPOSE;
  return speech ? `${MODEL_PURPOSE}. ${SPEECH_PURPOSE}` : MODEL_PURPOSE;
}

/** Bedrock without a base URL calls AWS's regional endpoint; other kinds their public default. */
function providerHost(kind: ModelProviderKind, baseUrl: string | null, region: string | null) {
  if (baseUrl) return hostOf(baseUrl);
  if (kind === 'amazon-bedrock') return region ? `bedrock-runtime.${region}.amazonaws.com` : null;
  return hostOf(DEFAULT_BASE_URLS[kind]);
}

/**
 * The recipients of the org's data actually enabled now, read from the live configuration on
 * every call (never cached): the org's model providers (else the operator's model, which only
 * answers for orgs without their own), the operator's embedding model, SMTP, S3, the org's Slack
 * webhook and its webhook endpoints.
 *
 * Invariant: only names, hosts, regions and purposes leave here — never an API key, a password,
 * a URL path or query (hostOf), since the records are shown, downloaded and pasted elsewhere.
 */
export async function listSubprocessors(
  tx: Tx,
  deps: { config: Config; keyring: Keyring },
  orgId: string,
): Promise<Subprocessor[]> {
  const { config } = deps;
  const out: Subprocessor[] = [];
  const providers = await listProviders(tx, orgId);
  for (const p of providers) {
    out.push({
      id: `model_provider:${p.id}`,
      name: `${PROVIDER_NAMES[p.kind]} — ${p.name}`,
      kind: 'model_provider',
      configuredBy: 'organization',
      purpose: providerPurpose(p.models),
      host: providerHost(p.kind, p.baseUrl, p.region),
      region: p.region,
      dataCategories: MODEL_DATA,
      since: p.createdAt,
    });
  }
  if (providers.length === 0 && config.model) {
    out.push({
      id: 'operator_model',
      name: `${PROVIDER_NAMES[config.model.kind]} (the operator’s model)`,
      kind: 'model_provider',
      configuredBy: 'operator',
      purpose: MODEL_PURPOSE,
      host: providerHost(config.model.kind, config.model.baseUrl, config.model.region ?? null),
      region: config.model.region ?? null,
      dataCategories: MODEL_DATA,
      since: null,
    });
  }
  if (config.embedding) {
    out.push({
      id: 'operator_embedding',
      name: 'Embedding model (the operator’s)',
      kind: 'embedding_provider',
      configuredBy: 'operator',
      purpose:
        'Turns knowledge passages and visitors’ questions into vectors for search; personal data the redactor recognises is replaced before sending',
      host: hostOf(config.embedding.baseUrl),
      region: null,
      dataCategories: ['org.content.knowledge', 'user.content.chat'],
      since: null,
    });
  }
  if (config.email.smtpUrl) {
    out.push({
      id: 'smtp',
      name: 'Email relay (SMTP)',
      kind: 'email',
      configuredBy: 'operator',
      purpose: 'Delivers notification emails to the team and replies to visitors who left an email address',
      host: hostOf(config.email.smtpUrl),
      region: null,
      dataCategories: ['user.contact.email', 'user.content.chat'],
      since: null,
    });
  }
  if (config.blobs.kind === 's3') {
    out.push({
      id: 'object_storage',
      name: `Object storage (S3 bucket ${config.blobs.bucket})`,
      kind: 'object_storage',
      configuredBy: 'operator',
      purpose:
        'Stores original uploaded files: knowledge documents, conversation attachments, agent avatars and data-subject export archives',
      host: config.blobs.endpoint ? hostOf(config.blobs.endpoint) : `s3.${config.blobs.region}.amazonaws.com`,
      region: config.blobs.region,
      dataCategories: ['org.content.knowledge', 'user.content.chat'],
      since: null,
    });
  }
  const slackUrl = await loadSlackWebhookUrl(tx, deps.keyring, orgId);
  if (slackUrl) {
    const previews = await previewsEnabled(tx, orgId);
    out.push({
      id: 'slack',
      name: 'Slack (incoming webhook)',
      kind: 'chat_notifications',
      configuredBy: 'organization',
      purpose: previews
        ? 'Tells the team a conversation is waiting, quoting the visitor’s message (previews are on)'
        : 'Tells the team a conversation is waiting, with a link and ids only (previews are off)',
      host: hostOf(slackUrl),
      region: null,
      dataCategories: previews ? ['system.identifier', 'user.content.chat'] : ['system.identifier'],
      since: null,
    });
  }
  out.push(...(await webhookRecipients(tx, orgId)));
  return out;
}
