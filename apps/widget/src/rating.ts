import { h } from './dom.js';
import { newMessageId } from './ids.js';

/**
 * The satisfaction prompt shown once when the conversation closes: a 1–5 radio group (native
 * radios in a fieldset, so arrow keys and screen readers work as everywhere), an optional
 * comment, Send and Skip. Nothing is sent unless the visitor presses Send; Skip just removes it.
 */
const LABELS = ['Very poor', 'Poor', 'Okay', 'Good', 'Excellent'];

export const ratingCss = `
.rating fieldset { border: 0; margin: 0; padding: 0; }
.rating legend { padding: 0; margin-bottom: 6px; color: #1e3a5f; font-weight: 600; }
.rate-scale { display: flex; gap: 4px; }
.rate-scale label { flex: 1; display: flex; flex-direction: column; align-items: center; padding: 6px 2px; border: 1px solid #cbd2d9; border-radius: 10px; cursor: pointer; font-size: 11px; color: #3e4c59; }
.rate-scale input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.rate-scale b { font-size: 16px; }
.rate-scale label:has(input:checked) { background: var(--accent); color: var(--accent-contrast); border-color: var(--accent); }
.rate-scale label:has(input:focus-visible) { outline: 3px solid var(--focus); outline-offset: 2px; }
.rating textarea { box-sizing: border-box; width: 100%; padding: 8px 10px; border: 1px solid #cbd2d9; border-radius: 10px; font: inherit; resize: vertical; }
.rate-actions { display: flex; gap: 8px; }
.rate-skip { border: 0; background: none; font: inherit; font-size: 13px; color: #3e4c59; text-decoration: underline; cursor: pointer; }
`;

export function createRatingPrompt(options: {
  submit(score: number, comment: string): Promise<void>;
}): HTMLElement {
  const uid = newMessageId().slice(0, 8);
  const commentId = `cw-rate-comment-${uid}`;
  const radios = LABELS.map((word, i) =>
    h(
      'label',
      {},
      h('input', { type: 'radio', name: `cw-rate-${uid}`, value: String(i + 1) }),
      h('b', {}, String(i + 1)),
      word,
    ),
  );
  const comment = h('textarea', { id: commentId, rows: '2', maxlength: '1000' });
  const status = h('p', { class: 'contact-status', role: 'status' });
  const send = h('button', { type: 'submit', class: 'contact-submit' }, 'Send rating');
  const skip = h('button', { type: 'button', class: 'rate-skip' }, 'Skip');
  const form = h(
    'form',
    { class: 'contact-form rating', 'aria-label': 'Rate this conversation', novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, 'How was this conversation?'),
      h('div', { class: 'rate-scale' }, ...radios),
    ),
    h('label', { for: commentId, class: 'contact-label' }, 'Anything to add? (optional)'),
    comment,
    h('div', { class: 'rate-actions' }, send, skip),
    status,
  );

  skip.addEventListener('click', () => form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>('input:checked');
    if (!chosen) {
      status.textContent = 'Please choose a score from 1 to 5, or skip.';
      form.querySelector('input')?.focus();
      return;
    }
    send.disabled = true;
    status.textContent = '';
    try {
      await options.submit(Number(chosen.value), comment.value.trim());
      form.replaceChildren(h('p', { class: 'contact-done', role: 'status' }, 'Thank you for your feedback.'));
    } catch {
      send.disabled = false;
      status.textContent = "Sorry, that didn't work. Please try again.";
    }
  });
  return form;
}
