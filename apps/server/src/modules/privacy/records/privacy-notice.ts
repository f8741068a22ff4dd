import type { PrivacyNotice } from '@confidant/contract';
import type { ModelProviderKind } from '@confidant/contract/model-provider-kinds';
import type { Config } from '../../../platform/config.js';
import type { Tx } from '../../../platform/db/client.js';
import { getAgentRow } from '../../agents/service.js';
import { listProviders } from '../../model-providers/service.js';
import { readRetention } from '../retention/retention-policy.js';
import { mdText } from './markdown-text.js';
import { PROVIDER_NAMES } from './provider-names.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const period = (d: number | null) => (d === null ? 'without a fixed period' : `for ${d} days`);

/**
 * The providers an agent's answers may go to, in the order tried: its model and fallbacks (the
 * org's providers that still exist), or — with no model chosen — the org's default provider,
 * else the operator's. Mirrors models/resolve-provider.ts resolveModelChain.
 */
async function agentProviders(
  tx: Tx,
  config: Config,
  orgId: string,
  agent: { model: { providerId: string } | null; fallbacks: { providerId: string }[] },
): Promise<{ name: string; region: string | null }[]> {
  const providers = await listProviders(tx, orgId);
  const byId = new Map(providers.map((p) => [p.id, p]));
  const ids = [...(agent.model ? [agent.model.providerId] : []), ...agent.fallbacks.map((f) => f.providerId)];
  const chosen = [...new Set(ids)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const label = (p: { kind: ModelProviderKind; name: string }) => `${PROVIDER_NAMES[p.kind]} (“${p.name}”)`;
  const out = chosen.map((p) => ({ name: label(p), region: p.region }));
  if (!agent.model) {
    const first = providers[0];
    if (first && !chosen.includes(first)) out.unshift({ name: label(first), region: first.region });
    else if (!first && config.model)
      out.unshift({ name: PROVIDER_NAMES[config.model.kind], region: config.model.region ?? null });
  }
  return out;
}

/**
 * A privacy-notice snippet for one agent, for the business to paste into its own policy:
 * factual, in English, from that agent's real settings (retention in force, model providers and
 * their regions, ephemeral mode, hand-off) and the visitor's rights. Every configured value is
 * escaped for the format it is rendered in.
 */
export async function buildPrivacyNotice(
  tx: Tx,
  deps: { config: Config },
  org: { id: string; name: string },
  agentId: string,
): Promise<PrivacyNotice> {
  const agent = await getAgentRow(tx, org.id, agentId);
  const retention = await readRetention(tx, org.id);
  const days = (c: string) => retention.find((r) => r.category === c)?.effectiveDays ?? null;
  const blocks: string[] = [];

  blocks.push(
    `The chat assistant “${agent.name}” on our website is provided by ${org.name} using Confidant. It answers questions from our help articles.`,
  );
  if (agent.answerMode === 'extractive') {
    blocks.push(
      'No AI provider: answers are quoted from our help articles, and your messages are not sent to any AI model.',
    );
  } else {
    const providers = await agentProviders(tx, deps.config, org.id, agent);
    blocks.push(
      providers.length === 0
        ? 'No AI provider is configured: answers are quoted from our help articles, and your messages are not sent to any AI model.'
        : `To write answers, your questions are sent to an AI model provider: ${providers
            .map((p) => `${p.name} (region: ${p.region ?? 'not stated'})`)
            .join(
              '; ',
            )}. Before sending, personal data such as names, email addresses, phone numbers, card and bank numbers is replaced with placeholders.`,
    );
  }
  blocks.push(
    agent.storeTranscripts
      ? `Conversations are kept ${period(days('transcripts'))} after the last message, then deleted automatically. An email address you leave so we can reply is kept ${period(days('contacts'))}.`
      : 'Ephemeral mode: the text of your conversation is not stored. It is kept in the server’s memory only while the conversation is open and is gone when it closes.',
  );
  blocks.push(
    agent.handoffEnabled
      ? 'You can ask to talk to a person; a member of our team then reads the conversation and replies.'
      : 'The assistant does not hand conversations over to our team.',
  );
  blocks.push(
    'You have the right to access your data, to have it corrected or erased, to restrict or object to its processing, to receive it in a portable format, and to complain to a data protection supervisory authority. To exercise these rights, contact us using the details in this policy; we can find your conversations by the email address you gave or your account with us.',
  );

  const markdown = `${blocks.map(mdText).join('\n\n')}\n`;
  const html = `${blocks.map((b) => `<p>${escapeHtml(b)}</p>`).join('\n')}\n`;
  return { agentId: agent.id, paragraphs: blocks, markdown, html };
}
