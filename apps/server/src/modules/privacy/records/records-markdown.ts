import type { ProcessingRecords } from '@confidant/contract';
import { mdTable, mdText } from './markdown-text.js';

const days = (d: number | null) => (d === null ? 'kept (no period)' : `${d} days`);

/**
 * The records of processing as a readable Markdown document (GET /v1/privacy/records?format=md):
 * the same data as the JSON, in the order of GDPR Art. 30(1). Every configured value is escaped
 * (markdown-text.ts).
 */
export function recordsMarkdown(r: ProcessingRecords): string {
  const sections: string[] = [];
  sections.push(
    `# Records of processing activities — ${mdText(r.controller.name)}`,
    `Generated ${r.generatedAt} from the live configuration of organization ${r.controller.orgId} (GDPR Art. 30). Hosting region: ${mdText(r.hostingRegion ?? 'not stated')}.`,
  );
  sections.push(
    '## Purposes and categories of processing',
    mdTable(
      ['Table', 'Purpose', 'Data subjects', 'Data categories', 'Retention'],
      r.activities.map((a) => [
        a.table,
        a.purpose,
        a.subjects === 'visitor' ? 'Website visitors' : a.subjects === 'user' ? 'Console users' : 'None',
        a.dataCategories.join(', '),
        a.retention
          .map((x) => (x.days === null ? x.description : `${x.description} — in force: ${days(x.days)}`))
          .join('; '),
      ]),
    ),
  );
  sections.push(
    '## Retention periods in force',
    mdTable(
      ['Category', 'Period', 'Set by'],
      r.retention.map((x) => [x.label, days(x.days), x.isDefault ? 'Default' : 'Organization']),
    ),
  );
  sections.push(
    '## Recipients and sub-processors',
    r.subprocessors.length === 0
      ? 'None enabled: no data leaves the installation.'
      : mdTable(
          ['Name', 'Purpose', 'Host', 'Region', 'Data categories', 'Configured by', 'Since'],
          r.subprocessors.map((s) => [
            s.name,
            s.purpose,
            s.host ?? 'unknown',
            s.region ?? 'unknown',
            s.dataCategories.join(', '),
            s.configuredBy,
            s.since ?? 'unknown',
          ]),
        ),
  );
  sections.push(
    '## Transfers outside the hosting region',
    r.transfers.length === 0
      ? 'None: no recipient is enabled.'
      : mdTable(
          ['Recipient', 'Region', 'Assessment', 'Note'],
          r.transfers.map((t) => [t.name, t.region ?? 'unknown', t.assessment.replace('_', ' '), t.note]),
        ),
  );
  sections.push(
    '## Technical and organisational measures',
    r.measures
      .map(
        (m) => `- **${mdText(m.title)}** (${m.inForce ? 'in force' : 'not in force'}): ${mdText(m.detail)}`,
      )
      .join('\n'),
  );
  sections.push(
    '## Agents',
    r.agents.length === 0
      ? 'No agent yet.'
      : mdTable(
          ['Agent', 'Answers', 'Ephemeral', 'Hand-off to people'],
          r.agents.map((a) => [
            a.name,
            a.answerMode === 'model' ? 'AI model' : 'Quoted from help articles',
            a.ephemeral ? 'yes' : 'no',
            a.handoff ? 'yes' : 'no',
          ]),
        ),
  );
  return `${sections.join('\n\n')}\n`;
}
