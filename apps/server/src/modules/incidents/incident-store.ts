import { and, desc, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { incidentReminders, incidents } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { emitWebhookEvent } from '../webhooks/dispatch.js';
import { deadlineOf, isOverdue, notificationPending } from './deadline.js';
import type { CreateIncident, IncidentView, UpdateIncident } from './incident-schemas.js';

/**
 * The incident register's reads and writes, in the caller's tenant transaction. Every write is
 * audited with ids only: `incident.created`, and `incident.updated` naming the fields that
 * changed (never their values: they are the org's account of a breach).
 */
type Row = typeof incidents.$inferSelect;
type Values = Omit<typeof incidents.$inferInsert, 'orgId' | 'id'>;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const dateOrNull = (s: string | null | undefined) => (s == null ? null : new Date(s));

export function toView(row: Row, remindersSent: number[], now: Date): IncidentView {
  return {
    id: row.id,
    platformIncidentId: row.platformIncidentId,
    title: row.title,
    description: row.description,
    awareAt: row.awareAt.toISOString(),
    occurredAt: iso(row.occurredAt),
    dataCategories: row.dataCategories,
    subjectsAffected: row.subjectsAffected,
    recordsAffected: row.recordsAffected,
    consequences: row.consequences,
    measures: row.measures,
    status: row.status,
    notNotifiableReason: row.notNotifiableReason,
    authorityNotifiedAt: iso(row.authorityNotifiedAt),
    subjectsNotifiedAt: iso(row.subjectsNotifiedAt),
    delayReason: row.delayReason,
    contactPoint: row.contactPoint,
    deadlineAt: deadlineOf(row.awareAt).toISOString(),
    notificationPending: notificationPending(row),
    overdue: isOverdue(row, now),
    remindersSent,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Input dates as Dates; only the keys present in `input` (so a PATCH touches only those). */
function toValues(input: Partial<CreateIncident>): Partial<Values> {
  const out: Partial<Values> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    (out as Record<string, unknown>)[key] =
      key === 'awareAt' ||
      key === 'occurredAt' ||
      key === 'authorityNotifiedAt' ||
      key === 'subjectsNotifiedAt'
        ? dateOrNull(value as string | null)
        : value;
  }
  return out;
}

/**
 * The rules that span fields, checked on the incident as it would be after the change, so a bad
 * create or patch is a 400 that changes nothing. Marking it `notified` without a time records now.
 */
function settle(v: Values, now: Date): Values {
  const issues: { path: string; message: string }[] = [];
  if (v.status === 'not_notifiable' && !v.notNotifiableReason)
    issues.push({ path: 'body.notNotifiableReason', message: 'required when the status is not_notifiable' });
  if (v.occurredAt && v.awareAt && v.occurredAt.getTime() > v.awareAt.getTime())
    issues.push({ path: 'body.occurredAt', message: 'must not be after awareAt' });
  // A little slack for clocks; awareness cannot be in the future.
  if (v.awareAt && v.awareAt.getTime() > now.getTime() + 5 * 60_000)
    issues.push({ path: 'body.awareAt', message: 'must not be in the future' });
  for (const key of ['authorityNotifiedAt', 'subjectsNotifiedAt'] as const) {
    const at = v[key];
    if (at && v.awareAt && at.getTime() < v.awareAt.getTime())
      issues.push({ path: `body.${key}`, message: 'must not be before awareAt' });
  }
  if (issues.length > 0)
    throw new AppError(
      'validation_failed',
      issues.map((i) => `${i.path.slice(5)}: ${i.message}`).join('; '),
      issues,
    );
  if (v.status === 'notified' && !v.authorityNotifiedAt) return { ...v, authorityNotifiedAt: now };
  return v;
}

async function remindersOf(tx: Tx, orgId: string, incidentId?: string): Promise<Map<string, number[]>> {
  const rows = await tx
    .select({ incidentId: incidentReminders.incidentId, hours: incidentReminders.hours })
    .from(incidentReminders)
    .where(
      and(
        eq(incidentReminders.orgId, orgId),
        incidentId ? eq(incidentReminders.incidentId, incidentId) : undefined,
      ),
    )
    .orderBy(incidentReminders.hours);
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.incidentId, [...(out.get(r.incidentId) ?? []), r.hours]);
  return out;
}

export async function insertIncident(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: CreateIncident & { platformIncidentId?: string },
  now: Date,
): Promise<Row> {
  const values = settle(
    { ...(toValues(input) as Values), platformIncidentId: input.platformIncidentId ?? null },
    now,
  );
  const [row] = await tx
    .insert(incidents)
    .values({ ...values, orgId })
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'incident.created',
    targetType: 'incident',
    targetId: row!.id,
    metadata: {
      status: row!.status,
      ...(row!.platformIncidentId ? { platformIncidentId: row!.platformIncidentId } : {}),
    },
  });
  await emitWebhookEvent(tx, orgId, { type: 'incident.created', data: { incidentId: row!.id } });
  return row!;
}

export async function createIncident(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: CreateIncident,
  now = new Date(),
): Promise<IncidentView> {
  return toView(await insertIncident(tx, keyring, orgId, actor, input, now), [], now);
}

/** Newest awareness first. The register of one org stays small; it is listed whole. */
export async function listIncidents(tx: Tx, orgId: string, now = new Date()): Promise<IncidentView[]> {
  const rows = await tx
    .select()
    .from(incidents)
    .where(eq(incidents.orgId, orgId))
    .orderBy(desc(incidents.awareAt), desc(incidents.id));
  const sent = await remindersOf(tx, orgId);
  return rows.map((r) => toView(r, sent.get(r.id) ?? [], now));
}

export async function readIncident(tx: Tx, orgId: string, id: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.orgId, orgId), eq(incidents.id, id)));
  if (!row) throw notFound('Incident');
  return row;
}

export async function getIncident(
  tx: Tx,
  orgId: string,
  id: string,
  now = new Date(),
): Promise<IncidentView> {
  const row = await readIncident(tx, orgId, id);
  return toView(row, (await remindersOf(tx, orgId, id)).get(id) ?? [], now);
}

export async function updateIncident(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  patch: UpdateIncident,
  now = new Date(),
): Promise<IncidentView> {
  // Locked, so two concurrent patches cannot each validate against a state the other replaces.
  const [current] = await tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.orgId, orgId), eq(incidents.id, id)))
    .for('update');
  if (!current) throw notFound('Incident');
  const next = settle({ ...current, ...toValues(patch) }, now);
  const changed = (Object.keys(next) as (keyof Values)[]).filter(
    (k) => k !== 'updatedAt' && JSON.stringify(next[k]) !== JSON.stringify(current[k as keyof Row]),
  );
  if (changed.length === 0) return getIncident(tx, orgId, id, now);
  const set = Object.fromEntries(changed.map((k) => [k, next[k]])) as Partial<Values>;
  await tx
    .update(incidents)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(incidents.orgId, orgId), eq(incidents.id, id)));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'incident.updated',
    targetType: 'incident',
    targetId: id,
    metadata: { fields: changed.sort().join(','), status: next.status ?? current.status },
  });
  return getIncident(tx, orgId, id, now);
}
