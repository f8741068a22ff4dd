import { h } from './dom.js';

/**
 * The satisfaction prompt shown once when the conversation closes: a 1–5 radio group (native
 * radios in a labelled radiogroup whose question says what the numbers mean, so arrow keys, the
 * browser's own "required" check and screen readers work as everywhere), an optional comment,
 * Send and Skip. Nothing is sent unless the visitor presses Send; Skip just removes it. Kept
 * small on purpose (the panel's size budget): it has no styles of its own, the contact form's
 * classes serve.
 */
let prompts = 0;

export function createRatingPrompt(options: {
  submit(score: number, comment: string): Promise<void>;
}): HTMLElement {
  const uid = `cw-rate-${++prompts}`;
  const comment = h('textarea', { id: uid, class: 'contact-email', rows: '2', maxlength: '1000' });
  const status = h('p', { class: 'contact-status', role: 'status' });
  const send = h('button', { class: 'contact-submit' }, 'Send rating');
  const skip = h('button', { type: 'button', class: 'contact-submit' }, 'Skip');
  const form = h(
    'form',
    { class: 'contact-form rating', 'aria-label': 'Rate this conversation' },
    h('p', { id: `${uid}-q`, class: 'contact-intro' }, 'How was this conversation? 1 is poor, 5 is great.'),
    h(
      'div',
      { role: 'radiogroup', 'aria-labelledby': `${uid}-q`, class: 'consent' },
      ...[1, 2, 3, 4, 5].map((n) =>
        h('label', {}, h('input', { type: 'radio', name: uid, value: String(n), required: true }), String(n)),
      ),
    ),
    h('label', { for: uid, class: 'contact-label' }, 'Anything to add? (optional)'),
    comment,
    h('div', { class: 'consent' }, send, skip),
    status,
  );

  skip.addEventListener('click', () => form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      const score = new FormData(form).get(uid);
      await options.submit(Number(score), comment.value.trim());
      form.replaceChildren(h('p', { class: 'contact-done', role: 'status' }, 'Thank you for your feedback.'));
    } catch {
      send.disabled = false;
      status.textContent = "Sorry, that didn't work. Please try again.";
    }
  });
  return form;
}
