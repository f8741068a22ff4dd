import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createAgent } from '../agents/service.js';
import type { Actor } from '../audit/service.js';
import { createUserWithMembership } from '../auth/service.js';
import { createSource, getSource, processSource } from '../knowledge/index.js';
import { createOrganization } from '../orgs/service.js';
import { loadDemoArticles } from './articles.js';
import { claimDemoSeed, completeDemoSeed, readDemoState, releaseDemoSeed, type SeededDemo } from './state.js';

export type DemoSeedDeps = { config: Config; database: Database; keyring: Keyring };

export const DEMO_ORG_NAME = 'Northwind Outfitters';
export const DEMO_OWNER_EMAIL = 'owner@northwind.example';
const SYSTEM: Actor = { type: 'system', id: null };

/** Where the first-start credentials go (DESIGN.md §5: 0600, first start only). */
export const credentialsPath = (config: Pick<Config, 'dataDir'>) =>
  path.join(config.dataDir, 'initial-credentials.txt');

export type DemoSeedResult = { seeded: boolean; demo: SeededDemo | undefined; credentialsFile: string };

/**
 * Seeds the demo once per installation, at first start when `config.demo` is on: an organization
 * for a fictional outdoor-gear store, its owner's console login, an agent, and the sample
 * knowledge base (articles/*.md), indexed and searchable before this returns.
 *
 * Invariants: a seed runs at most once (claimed atomically in system_state, so concurrent
 * starts cannot both seed; never repeated once done). A seed that fails is released so the next
 * start retries; a half-made org from a failed attempt is left visible rather than silently reused.
 * Secrets (the owner password, the org's first API key, an owner key) are written only to the 0600
 * credentials file — never logged, never stored in plain text in the database.
 */
export async function seedDemoOnce(deps: DemoSeedDeps): Promise<DemoSeedResult> {
  const file = credentialsPath(deps.config);
  if (!deps.config.demo) return { seeded: false, demo: undefined, credentialsFile: file };
  if (!(await claimDemoSeed(deps.database))) {
    const state = await readDemoState(deps.database);
    return { seeded: false, demo: state?.state === 'done' ? state : undefined, credentialsFile: file };
  }
  try {
    const demo = await seedDemo(deps, file);
    await completeDemoSeed(deps.database, demo);
    return { seeded: true, demo, credentialsFile: file };
  } catch (error) {
    await releaseDemoSeed(deps.database);
    throw error;
  }
}

async function seedDemo(deps: DemoSeedDeps, file: string): Promise<SeededDemo> {
  const { database } = deps;
  const { org, apiKey } = await createOrganization(
    database,
    deps.keyring,
    { name: DEMO_ORG_NAME, kind: 'direct', parentId: null },
    SYSTEM,
  );
  const password = generatePassword(20);
  await createUserWithMembership(
    deps,
    { email: DEMO_OWNER_EMAIL, password, name: 'Northwind Owner', orgId: org.id, role: 'owner' },
    SYSTEM,
  );

  const articles = await loadDemoArticles();
  const { agent, sourceIds } = await withTenant(database, [org.id], async (tx) => {
    const agent = await createAgent(tx, deps.keyring, org.id, SYSTEM, {
      name: 'Northwind Assistant',
      instructions:
        'You are the customer support assistant of Northwind Outfitters, an outdoor-gear store. Answer only from the help articles; be friendly and brief; offer a person from the team when unsure.',
      greeting:
        "Hi! I'm the Northwind assistant. Ask me about orders, shipping, returns, sizing or anything else.",
      starters: [
        'How long do refunds take?',
        'Do you ship to Canada?',
        'How do I start a return?',
        'Which jacket size should I pick?',
      ],
      // Same-origin only: the /demo page on this server.
      allowedOrigins: [],
      // The store's own green (the demo page writes it into the widget's tag, like the snippet).
      accentColor: '#2f5d50',
    });
    const sourceIds: string[] = [];
    for (const article of articles) {
      const source = await createSource(tx, deps.keyring, org.id, SYSTEM, {
        type: 'text',
        title: article.title,
        content: article.content,
        format: 'markdown',
        byteSize: Buffer.byteLength(article.content),
      });
      sourceIds.push(source.id);
    }
    return { agent, sourceIds };
  });

  // Indexed here, before the server listens (not by the job worker), so the demo answers from
  // its very first question.
  for (const sourceId of sourceIds) {
    await processSource(deps, org.id, sourceId);
    const source = await withTenant(database, [org.id], (tx) => getSource(tx, org.id, sourceId));
    if (source.status !== 'ready')
      throw new Error(`demo article "${source.title}" failed to index: ${source.error}`);
  }

  await writeCredentials(file, [
    'Confidant — demo credentials (written once, at first start)',
    '',
    'Console owner login',
    `  email:    ${DEMO_OWNER_EMAIL}`,
    `  password: ${password}`,
    '',
    `Demo organization: ${DEMO_ORG_NAME}`,
    `  org id:        ${org.id}`,
    `  owner API key: ${apiKey}`,
    '  (the API key is shown only here; keep it secret, or revoke it and issue a new one)',
    '',
    `Demo agent: ${agent.name}`,
    `  agent id:        ${agent.id}`,
    `  publishable key: ${agent.publishableKey}`,
    '',
    'Delete this file once you have stored these credentials somewhere safe.',
    '',
  ]);

  return { state: 'done', orgId: org.id, agentId: agent.id, seededAt: new Date().toISOString() };
}

async function writeCredentials(file: string, lines: string[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // `mode` applies only when a file is created: replace any older copy rather than write secrets
  // into a file that might be readable by others.
  await rm(file, { force: true });
  await writeFile(file, lines.join('\n'), { mode: 0o600, flag: 'wx' });
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password from an unambiguous alphabet (~115 bits for 20 characters). */
export function generatePassword(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/** What `npm start` prints about the demo: its page, and where the login is while the file exists. */
export function demoStartupLines(result: DemoSeedResult, baseUrl: string): string[] {
  if (!result.demo) return [];
  const base = baseUrl.replace(/\/+$/, '');
  const lines = [`Demo store with the chat widget: ${base}/demo`];
  if (existsSync(result.credentialsFile)) lines.push(`Demo login: see ${result.credentialsFile}`);
  return lines;
}
