import { randomUUID } from 'node:crypto';
import type { Rubric, RubricInput } from '@confidant/contract';
import { and, desc, eq } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { callSettings, rubrics } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';

/**
 * Rubrics: what calls are scored against. Criterion ids are stable across edits (given ones are
 * kept, new ones generated), so scores of older calls still line up per criterion on the
 * dashboard. Deleting a rubric keeps the scores made with it (they carry its name).
 */
type RubricRow = typeof rubrics.$inferSelect;

export const rubricView = (row: RubricRow): Rubric => ({
  id: row.id,
  name: row.name,
  description: row.description,
  scale: { min: row.scaleMin, max: row.scaleMax },
  criteria: row.criteria,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const criteriaOf = (input: RubricInput['criteria']) => {
  const ids = new Set<string>();
  return input.map((c) => {
    const id = c.id ?? randomUUID();
    if (ids.has(id)) {
      throw new AppError('validation_failed', 'The request does not match the expected shape', [
        { path: 'body.criteria', message: `criterion id "${id}" is used twice` },
      ]);
    }
    ids.add(id);
    return { id, name: c.name, description: c.description, weight: c.weight ?? 1 };
  });
};

export async function listRubrics(tx: Tx, orgId: string): Promise<Rubric[]> {
  const rows = await tx
    .select()
    .from(rubrics)
    .where(eq(rubrics.orgId, orgId))
    .orderBy(desc(rubrics.createdAt));
  return rows.map(rubricView);
}

export async function findRubric(tx: Tx, orgId: string, id: string): Promise<Rubric | null> {
  const [row] = await tx
    .select()
    .from(rubrics)
    .where(and(eq(rubrics.orgId, orgId), eq(rubrics.id, id)));
  return row ? rubricView(row) : null;
}

export async function getRubric(tx: Tx, orgId: string, id: string): Promise<Rubric> {
  const found = await findRubric(tx, orgId, id);
  if (!found) throw notFound('Rubric');
  return found;
}

/** The rubric a call without one is scored with: the org's default, else its newest; null: none. */
export async function defaultRubric(tx: Tx, orgId: string): Promise<Rubric | null> {
  const [settings] = await tx
    .select({ id: callSettings.defaultRubricId })
    .from(callSettings)
    .where(eq(callSettings.orgId, orgId));
  if (settings?.id) {
    const found = await findRubric(tx, orgId, settings.id);
    if (found) return found;
  }
  return (await listRubrics(tx, orgId))[0] ?? null;
}

const checkScale = (scale: { min: number; max: number }) => {
  if (scale.min >= scale.max) {
    throw new AppError('validation_failed', 'The request does not match the expected shape', [
      { path: 'body.scale', message: 'min must be below max' },
    ]);
  }
};

export async function createRubric(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: RubricInput,
): Promise<Rubric> {
  const scale = input.scale ?? { min: 1, max: 5 };
  checkScale(scale);
  const [row] = await tx
    .insert(rubrics)
    .values({
      orgId,
      name: input.name,
      description: input.description ?? '',
      scaleMin: scale.min,
      scaleMax: scale.max,
      criteria: criteriaOf(input.criteria),
    })
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'calls.rubric_created',
    targetType: 'rubric',
    targetId: row!.id,
    metadata: { criteria: input.criteria.length },
  });
  return rubricView(row!);
}

export async function updateRubric(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  input: Partial<RubricInput>,
): Promise<Rubric> {
  const current = await getRubric(tx, orgId, id);
  const scale = input.scale ?? current.scale;
  checkScale(scale);
  const [row] = await tx
    .update(rubrics)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      scaleMin: scale.min,
      scaleMax: scale.max,
      ...(input.criteria !== undefined ? { criteria: criteriaOf(input.criteria) } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(rubrics.orgId, orgId), eq(rubrics.id, id)))
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'calls.rubric_updated',
    targetType: 'rubric',
    targetId: id,
    metadata: { criteria: row!.criteria.length },
  });
  return rubricView(row!);
}

export async function deleteRubric(tx: Tx, keyring: Keyring, orgId: string, actor: Actor, id: string) {
  const deleted = await tx
    .delete(rubrics)
    .where(and(eq(rubrics.orgId, orgId), eq(rubrics.id, id)))
    .returning({ id: rubrics.id });
  if (deleted.length === 0) throw notFound('Rubric');
  await tx
    .update(callSettings)
    .set({ defaultRubricId: null })
    .where(and(eq(callSettings.orgId, orgId), eq(callSettings.defaultRubricId, id)));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'calls.rubric_deleted',
    targetType: 'rubric',
    targetId: id,
  });
}
