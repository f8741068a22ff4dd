import { h } from './dom.js';
import { newMessageId } from './ids.js';

/**
 * The offline flow: nobody from the team is available, so the visitor may leave an email
 * address for a reply. Consent is explicit: the box starts unticked, its label is the server's
 * consent text (stating the purpose), and without the tick nothing is sent at all.
 */
export type ContactFormOptions = {
  offlineLine: string;
  consentText: string;
  submit(email: string): Promise<void>;
};

export function createContactForm(options: ContactFormOptions): HTMLElement {
  const uid = newMessageId().slice(0, 8);
  const emailId = `cw-email-${uid}`;
  const consentId = `cw-consent-${uid}`;
  const statusId = `cw-contact-status-${uid}`;
  const email = h('input', {
    type: 'email',
    id: emailId,
    class: 'contact-email',
    autocomplete: 'email',
    required: true,
    maxlength: '254',
    placeholder: 'you@example.com',
    'aria-describedby': statusId,
  });
  const consent = h('input', { type: 'checkbox', id: consentId, class: 'checkbox' });
  const status = h('p', { id: statusId, class: 'contact-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'contact-submit' }, 'Send my email address');
  const form = h(
    'form',
    { class: 'contact-form', 'aria-label': 'Leave your email for a reply', novalidate: true },
    h('p', { class: 'contact-intro' }, options.offlineLine),
    h('label', { for: emailId, class: 'contact-label' }, 'Your email address'),
    email,
    h('div', { class: 'consent' }, consent, h('label', { for: consentId }, options.consentText)),
    submit,
    status,
  );

  const say = (text: string) => {
    status.textContent = text;
    status.scrollIntoView({ block: 'nearest' });
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const address = email.value.trim();
    if (!email.checkValidity() || !address) {
      say('Please enter a valid email address.');
      email.focus();
      return;
    }
    if (!consent.checked) {
      say('Please tick the box to agree, or keep chatting here.');
      consent.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = '';
    try {
      await options.submit(address);
      form.replaceChildren(
        h('p', { class: 'contact-done' }, `Thanks. Our team can now reply to you at ${address}.`),
      );
    } catch {
      submit.disabled = false;
      say("Sorry, that didn't work. Please try again.");
    }
  });
  return form;
}
