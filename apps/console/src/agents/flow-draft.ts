import type { FlowField, FlowFieldKind, FlowStep, FlowStepType } from '@confidant/contract';
import { DEFAULT_CONSENT_TEXT } from '@confidant/contract/flows';

/** Pure helpers of the flow editor: new steps and fields, moves, labels for next-step pickers. */
export const stepTypeLabels: Record<FlowStepType, string> = {
  message: 'Message',
  buttons: 'Quick replies',
  form: 'Form',
  handoff: 'Hand to a person',
  ai: 'Hand to the AI',
};

export const fieldKindLabels: Record<FlowFieldKind, string> = {
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  text: 'Text',
  select: 'Choice',
  custom: 'Custom',
};

export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

export function newStep(type: FlowStepType, steps: FlowStep[]): FlowStep {
  const id = freshId(
    type,
    steps.map((s) => s.id),
  );
  switch (type) {
    case 'message':
      return { id, type, text: 'Hello! How can we help?' };
    case 'buttons':
      return {
        id,
        type,
        text: 'What would you like to do?',
        buttons: [{ label: 'Ask a question', next: id }],
      };
    case 'form':
      return {
        id,
        type,
        title: 'Your details',
        fields: [newField('email', [])],
        consentText: DEFAULT_CONSENT_TEXT,
      };
    case 'handoff':
      return { id, type, text: 'Let me find someone from the team.' };
    case 'ai':
      return { id, type, text: 'Ask me anything.' };
  }
}

export function newField(kind: FlowFieldKind, fields: FlowField[]): FlowField {
  const base = kind === 'custom' || kind === 'select' || kind === 'text' ? kind : kind;
  const key = fields.some((f) => f.key === base)
    ? freshId(
        base,
        fields.map((f) => f.key),
      ).replace('-', '_')
    : base;
  return {
    key,
    kind,
    label: fieldKindLabels[kind],
    purpose: kind === 'email' ? 'reply to you by email' : 'answer your question',
    required: kind === 'email',
    ...(kind === 'select' ? { options: ['Option 1', 'Option 2'] } : {}),
  };
}

export function move<T>(items: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/** "2 · Form: Your details", for the next-step pickers. */
export function stepLabel(step: FlowStep, index: number): string {
  const text = step.type === 'form' ? step.title : step.text;
  const short = text.length > 32 ? `${text.slice(0, 31)}…` : text;
  return `${index + 1} · ${stepTypeLabels[step.type]}: ${short}`;
}

/** Purposes of a form in field order (one consent box each in the widget). */
export const purposesOf = (fields: FlowField[]) => [...new Set(fields.map((f) => f.purpose))];
