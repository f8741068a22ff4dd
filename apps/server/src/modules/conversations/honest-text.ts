import { eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/client.js';
import { type AgentRow, organizations, type PersistenceMode } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { type BusinessHours, isOpen } from '../agents/business-hours.js';
import { operatorsOnline } from '../inbox/presence.js';
import { effectivePeriods } from '../privacy/retention/retention-policy.js';

/**
 * Every sentence the widget shows about storage and handoff, computed from what the server
 * really does (DESIGN.md §2: the widget tells the visitor the truth):
 * - messages are stored on the server, by the organization, to answer, and deleted after the
 *   org's effective transcript period (privacy/retention: the purge enforces exactly that number);
 * - unless the agent stores no transcripts (ephemeral-transcripts.ts): then the chat is said not
 *   to be stored and to disappear when it ends, and no email is asked for (none could be kept);
 * - what the browser keeps follows the agent's `persistence` (the widget writes nothing before
 *   the first message, and with `none` nothing at all);
 * - "a person will reply here" only while an operator is present (inbox/presence.ts); otherwise
 *   the offline line offers email, and only with consent. No reply time is promised: none is
 *   measured.
 */
export type HonestText = {
  storageNotice: string;
  onlineLine: string;
  offlineLine: string;
  contactConsentText: string;
};

const browserLine: Record<PersistenceMode, string> = {
  none: 'Nothing is kept in your browser.',
  tab: 'This chat stays in this tab until you close it.',
  device: 'This chat stays in this tab until you close it, or on this device if you choose to remember it.',
};

/** What the browser keeps for an ephemeral chat: only the link (id and token), never its text. */
const ephemeralBrowserLine: Record<PersistenceMode, string> = {
  none: 'Nothing is kept in your browser.',
  tab: 'Only a link to it stays in this tab while you keep it open.',
  device: 'Only a link to it stays in this tab, or on this device if you choose to remember it.',
};

/** How long the server keeps the transcript, as the visitor reads it (null: no period applies). */
function keptLine(transcriptDays: number | null): string {
  if (transcriptDays === null) return '';
  return ` and deleted ${transcriptDays === 1 ? '1 day' : `${transcriptDays} days`} after the last message`;
}

export function honestText(
  orgName: string,
  persistence: PersistenceMode,
  storeTranscripts = true,
  transcriptDays: number | null = null,
): HonestText {
  if (!storeTranscripts)
    return {
      storageNotice: `No cookies. This chat isn't stored: ${orgName} relays your messages only while it is open, and they disappear when it ends. ${ephemeralBrowserLine[persistence]}`,
      onlineLine: 'A person from our team will reply here.',
      offlineLine:
        "No one from our team is available right now. This chat isn't stored, so we can't reply by email later: keep chatting with the assistant, or come back later.",
      contactConsentText: '',
    };
  return {
    storageNotice: `No cookies. Messages are stored by ${orgName} to answer you${keptLine(transcriptDays)}. ${browserLine[persistence]}`,
    onlineLine: 'A person from our team will reply here.',
    offlineLine:
      'No one from our team is available right now. Leave your email address and we will reply by email, or keep chatting with the assistant.',
    contactConsentText: `Use my email address so the ${orgName} team can reply to this conversation by email.`,
  };
}

/** The organization's name and whether an operator is available now, in one short transaction. */
export async function widgetFacts(
  database: Database,
  agent: Pick<AgentRow, 'orgId' | 'businessHours'>,
): Promise<{ orgName: string; operatorsAvailable: boolean; transcriptDays: number | null }> {
  return withTenant(database, [agent.orgId], async (tx) => {
    const [org] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, agent.orgId));
    return {
      orgName: org?.name ?? 'this site',
      operatorsAvailable: openNow(agent) && (await operatorsOnline(tx, agent.orgId)) > 0,
      transcriptDays: (await effectivePeriods(tx, agent.orgId)).transcripts,
    };
  });
}

/** Whether a person can be promised now (the handoff reply and the `handoff` event say so). */
export async function operatorsAvailable(
  database: Database,
  agent: Pick<AgentRow, 'orgId' | 'businessHours'>,
): Promise<boolean> {
  if (!openNow(agent)) return false;
  return withTenant(database, [agent.orgId], async (tx) => (await operatorsOnline(tx, agent.orgId)) > 0);
}

const openNow = (agent: Pick<AgentRow, 'businessHours'>) =>
  isOpen((agent.businessHours ?? null) as BusinessHours | null);
