import { DEFAULT_CONSENT_TEXT, type FlowStep } from '@confidant/contract/flows';
import { z } from 'zod';
import { nonBlank } from '../../platform/http/schemas.js';

/**
 * The flow an admin saves (PUT /v1/agents/{id}/flow), checked whole at the edge: sizes are
 * bounded, step ids and field keys are unique, every `next` names a step of the flow, every step
 * can be reached from the first one (no junk), and the first step is where the widget starts.
 */
export const FLOW_LIMITS = {
  steps: 30,
  buttons: 8,
  fields: 10,
  options: 20,
  text: 1000,
  label: 80,
  purpose: 200,
} as const;

const stepId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,39}$/,
    'must be 1–40 characters of a–z, 0–9, _ and - (starting with a letter or digit)',
  );

const fieldSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1–40 characters of a–z, 0–9 and _, starting with a letter'),
    kind: z.enum(['name', 'email', 'phone', 'text', 'select', 'custom']),
    label: nonBlank(FLOW_LIMITS.label),
    purpose: nonBlank(FLOW_LIMITS.purpose).describe('Why the business asks; consent is asked per purpose'),
    required: z.boolean(),
    options: z.array(nonBlank(FLOW_LIMITS.label)).min(1).max(FLOW_LIMITS.options).optional(),
  })
  .superRefine((field, ctx) => {
    if (field.kind === 'select' && !field.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs options' });
    if (field.kind !== 'select' && field.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only a select field has options' });
    if (field.options && new Set(field.options).size !== field.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must be unique' });
  });

const stepSchema = z.discriminatedUnion('type', [
  z.strictObject({
    id: stepId,
    type: z.literal('message'),
    text: nonBlank(FLOW_LIMITS.text),
    next: stepId.optional(),
  }),
  z.strictObject({
    id: stepId,
    type: z.literal('buttons'),
    text: nonBlank(FLOW_LIMITS.text),
    buttons: z
      .array(z.strictObject({ label: nonBlank(FLOW_LIMITS.label), next: stepId }))
      .min(1)
      .max(FLOW_LIMITS.buttons),
  }),
  z.strictObject({
    id: stepId,
    type: z.literal('form'),
    title: nonBlank(FLOW_LIMITS.label),
    fields: z.array(fieldSchema).min(1).max(FLOW_LIMITS.fields),
    consentText: nonBlank(FLOW_LIMITS.text).default(DEFAULT_CONSENT_TEXT),
    next: stepId.optional(),
  }),
  z.strictObject({ id: stepId, type: z.literal('handoff'), text: nonBlank(FLOW_LIMITS.text) }),
  z.strictObject({ id: stepId, type: z.literal('ai'), text: nonBlank(FLOW_LIMITS.text) }),
]);

/** Where a step can lead: its buttons, its `next`, or (when neither) the following step. */
export function successors(steps: readonly FlowStep[], index: number): string[] {
  const step = steps[index]!;
  if (step.type === 'buttons') return step.buttons.map((b) => b.next);
  if (step.type === 'handoff' || step.type === 'ai') return [];
  if (step.next) return [step.next];
  const following = steps[index + 1];
  return following ? [following.id] : [];
}

export const flowBodySchema = z
  .strictObject({ steps: z.array(stepSchema).max(FLOW_LIMITS.steps) })
  .superRefine(({ steps }, ctx) => {
    const index = new Map<string, number>();
    steps.forEach((s, i) => {
      if (index.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${s.id}"` });
      else index.set(s.id, i);
      if (s.type === 'form') {
        const keys = new Set<string>();
        s.fields.forEach((f, j) => {
          if (keys.has(f.key))
            ctx.addIssue({
              code: 'custom',
              path: ['steps', i, 'fields', j, 'key'],
              message: `duplicate field key "${f.key}"`,
            });
          keys.add(f.key);
        });
      }
    });
    let broken = false;
    steps.forEach((s, i) => {
      const targets =
        s.type === 'buttons'
          ? s.buttons.map((b, j) => ({ next: b.next, path: ['steps', i, 'buttons', j, 'next'] }))
          : 'next' in s && s.next
            ? [{ next: s.next, path: ['steps', i, 'next'] }]
            : [];
      for (const t of targets) {
        if (!index.has(t.next)) {
          broken = true;
          ctx.addIssue({ code: 'custom', path: t.path, message: `no step with id "${t.next}"` });
        }
      }
    });
    if (broken || steps.length === 0 || index.size !== steps.length) return;
    const seen = new Set<number>([0]);
    const queue = [0];
    while (queue.length) {
      const i = queue.shift()!;
      for (const next of successors(steps as FlowStep[], i)) {
        const j = index.get(next)!;
        if (!seen.has(j)) {
          seen.add(j);
          queue.push(j);
        }
      }
    }
    steps.forEach((s, i) => {
      if (!seen.has(i))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i],
          message: `step "${s.id}" cannot be reached from the first step`,
        });
    });
  });

export type FlowBody = z.infer<typeof flowBodySchema>;

/** The exact consent label shown for one purpose of a form (its SHA-256 is recorded). */
export const noticeText = (consentText: string, purpose: string) =>
  consentText.replaceAll('{purpose}', purpose);

/** The purposes of a form, in field order, and whether each is optional (no required field). */
export function formPurposes(fields: readonly { purpose: string; required: boolean }[]) {
  const out = new Map<string, { optional: boolean }>();
  for (const f of fields) {
    const p = out.get(f.purpose) ?? { optional: true };
    if (f.required) p.optional = false;
    out.set(f.purpose, p);
  }
  return [...out].map(([purpose, { optional }]) => ({ purpose, optional }));
}
