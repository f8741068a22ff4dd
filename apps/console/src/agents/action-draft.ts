import type { ActionMethod, ActionParameter, AgentAction } from '@confidant/contract';

/**
 * The add/edit form of an action as plain rows (parameters, headers) and its conversion to the
 * API body. A header row of an existing action may leave its value empty: the stored value is
 * kept (values are write-only; the server never sends them back).
 */
export type ParameterRow = {
  key: number;
  name: string;
  type: ActionParameter['type'];
  description: string;
  required: boolean;
  sensitive: boolean;
};
export type HeaderRow = { key: number; name: string; value: string; stored: boolean };

export type ActionDraft = {
  name: string;
  description: string;
  method: ActionMethod;
  urlTemplate: string;
  parameters: ParameterRow[];
  headers: HeaderRow[];
  requiresApproval: boolean;
  enabled: boolean;
  timeoutMs: string;
};

export const METHODS: ActionMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const PARAMETER_TYPES: ActionParameter['type'][] = ['string', 'number', 'integer', 'boolean'];

let nextKey = 1;
export const rowKey = () => nextKey++;

export const emptyParameter = (): ParameterRow => ({
  key: rowKey(),
  name: '',
  type: 'string',
  description: '',
  required: true,
  sensitive: false,
});
export const emptyHeader = (): HeaderRow => ({ key: rowKey(), name: '', value: '', stored: false });

export const emptyDraft = (): ActionDraft => ({
  name: '',
  description: '',
  method: 'GET',
  urlTemplate: '',
  parameters: [],
  headers: [],
  requiresApproval: false,
  enabled: true,
  timeoutMs: '5000',
});

export function toDraft(action: AgentAction): ActionDraft {
  const required = new Set(action.parameters.required ?? []);
  return {
    name: action.name,
    description: action.description,
    method: action.method,
    urlTemplate: action.urlTemplate,
    parameters: Object.entries(action.parameters.properties).map(([name, p]) => ({
      key: rowKey(),
      name,
      type: p.type,
      description: p.description ?? '',
      required: required.has(name),
      sensitive: p.sensitive ?? false,
    })),
    headers: action.headers.map((h) => ({ key: rowKey(), name: h.name, value: '', stored: h.hasValue })),
    requiresApproval: action.requiresApproval,
    enabled: action.enabled,
    timeoutMs: String(action.timeoutMs),
  };
}

/** What the form can tell before asking the server; keys are API field paths. */
export function validateDraft(draft: ActionDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(draft.name))
    errors.name = 'Lower-case letters, digits and _, starting with a letter (e.g. order_status).';
  if (!/^https?:\/\//.test(draft.urlTemplate.trim())) errors.urlTemplate = 'An http:// or https:// URL.';
  const names = draft.parameters.map((p) => p.name.trim());
  draft.parameters.forEach((p, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(p.name.trim()))
      errors[`parameters.${i}`] = 'Letters, digits and _ only.';
    else if (names.indexOf(p.name.trim()) !== i) errors[`parameters.${i}`] = 'Each name once.';
  });
  draft.headers.forEach((h, i) => {
    if (!h.name.trim()) errors[`headers.${i}.name`] = 'A header name.';
    else if (!h.stored && !h.value) errors[`headers.${i}.value`] = 'A value.';
  });
  const timeout = Number(draft.timeoutMs);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 30_000)
    errors.timeoutMs = 'Between 100 and 30000 milliseconds.';
  return errors;
}

export function actionBody(draft: ActionDraft) {
  const parameters = draft.parameters.filter((p) => p.name.trim());
  return {
    name: draft.name,
    description: draft.description.trim(),
    method: draft.method,
    urlTemplate: draft.urlTemplate.trim(),
    parameters: {
      type: 'object' as const,
      properties: Object.fromEntries(
        parameters.map((p) => [
          p.name.trim(),
          {
            type: p.type,
            ...(p.description.trim() ? { description: p.description.trim() } : {}),
            ...(p.sensitive ? { sensitive: true } : {}),
          },
        ]),
      ),
      required: parameters.filter((p) => p.required).map((p) => p.name.trim()),
    },
    // A stored header left empty keeps its value (the server fills it in).
    headers: draft.headers.map((h) =>
      h.value ? { name: h.name.trim(), value: h.value } : { name: h.name.trim() },
    ),
    requiresApproval: draft.requiresApproval,
    enabled: draft.enabled,
    timeoutMs: Number(draft.timeoutMs),
  };
}
