import type { FlowField, WidgetFlowStep } from '@confidant/contract';
import { h } from './dom.js';
import { newMessageId } from './ids.js';

/**
 * A flow form, consent first: every field states its purpose, and each purpose has its own
 * unticked box whose label is the server's exact notice text (its hash is what gets recorded).
 * Only the values of ticked purposes leave the page; the server drops any other anyway. Under
 * Global Privacy Control the caller passes only the required fields (optional ones never show).
 */
type FormStep = Extract<WidgetFlowStep, { type: 'form' }>;
export type FormOutcome = { granted: string[] } | 'skipped';

export function createConsentForm(
  step: FormStep,
  fields: FlowField[],
  submit: (values: Record<string, string>, consents: string[]) => Promise<{ granted: string[] }>,
  done: (outcome: FormOutcome) => void,
): HTMLElement {
  const uid = newMessageId().slice(0, 8);
  const status = h('p', { class: 'contact-status', role: 'status' });
  const inputs = fields.map((field) => {
    const id = `cw-f-${uid}-${field.key}`;
    const attrs = { id, class: 'contact-email', name: field.key, required: field.required };
    const input =
      field.kind === 'select'
        ? h(
            'select',
            attrs,
            h('option', { value: '' }, '—'),
            ...(field.options ?? []).map((o) => h('option', { value: o }, o)),
          )
        : h('input', {
            ...attrs,
            type: field.kind === 'email' ? 'email' : field.kind === 'phone' ? 'tel' : 'text',
            autocomplete:
              field.kind === 'email'
                ? 'email'
                : field.kind === 'phone'
                  ? 'tel'
                  : field.kind === 'name'
                    ? 'name'
                    : 'off',
            maxlength: field.kind === 'text' ? '1000' : '254',
          });
    const label = h(
      'label',
      { for: id, class: 'contact-label' },
      field.label,
      field.required ? ' *' : ' (optional)',
    );
    const why = h('span', { class: 'flow-purpose' }, `Why: to ${field.purpose}`);
    return { field, input, node: h('div', { class: 'flow-field' }, label, input, why) };
  });
  const purposes = [...new Set(fields.map((f) => f.purpose))];
  const boxes = purposes.map((purpose, i) => {
    const id = `cw-c-${uid}-${i}`;
    const box = h('input', { type: 'checkbox', id, class: 'checkbox' });
    const text = step.notices.find((n) => n.purpose === purpose)?.text ?? purpose;
    return { purpose, box, node: h('div', { class: 'consent' }, box, h('label', { for: id }, text)) };
  });
  const send = h('button', { type: 'submit', class: 'contact-submit' }, 'Send');
  const skip = h('button', { type: 'button', class: 'flow-skip' }, 'Skip');
  const form = h(
    'form',
    { class: 'contact-form flow-form', 'aria-label': step.title, novalidate: true },
    h('p', { class: 'contact-intro' }, step.title),
    ...inputs.map((i) => i.node),
    ...boxes.map((b) => b.node),
    h('div', { class: 'flow-actions' }, send, skip),
    status,
  );
  const finish = (text: string, outcome: FormOutcome) => {
    form.replaceChildren(h('p', { class: 'contact-done' }, text));
    done(outcome);
  };
  skip.addEventListener('click', () => finish('Skipped: nothing you typed was sent.', 'skipped'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const consents = boxes.filter((b) => b.box.checked).map((b) => b.purpose);
    const values: Record<string, string> = {};
    for (const { field, input } of inputs) {
      if (!consents.includes(field.purpose)) continue;
      const value = input.value.trim();
      if (!value && field.required) {
        status.textContent = `Please fill in “${field.label}”, or untick its box.`;
        input.focus();
        return;
      }
      if (value) values[field.key] = value;
    }
    send.disabled = true;
    status.textContent = '';
    try {
      const result = await submit(values, consents);
      finish(
        result.granted.length
          ? 'Thanks, saved with your consent. “Forget my details” below withdraws it and deletes them.'
          : 'Nothing you typed was kept: no box was ticked.',
        result,
      );
    } catch {
      send.disabled = false;
      status.textContent = "Sorry, that didn't work. Please check your answers and try again.";
    }
  });
  return form;
}
