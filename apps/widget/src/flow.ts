import type { WidgetConfig, WidgetFlow } from '@confidant/contract';
import type { ChatClient } from './chat-client.js';
import { createConsentForm } from './consent-form.js';
import { adoptStyles, h } from './dom.js';
import type { PanelView } from './panel-view.js';

/** The closing rating prompt rides in this bundle too (see panel.ts loadFlowBundle). */
export { createContactForm } from './contact-form.js';
export { createRatingPrompt } from './rating.js';

/**
 * widget-flow.js — loaded by the panel only when the agent has a flow (the panel's own size
 * budget stays for the chat). Runs the steps before the chat: messages, quick replies (shown
 * locally, not stored), consent-first forms, a handoff to a person or the AI chat. Also owns
 * "Forget my details" (withdraw consent: the server deletes the values), shown while consent
 * exists. Global Privacy Control (navigator.globalPrivacyControl, or Sec-GPC seen by the
 * server): optional fields and optional forms are never shown, and the refusal is recorded.
 */
export type FlowContext = {
  flow: WidgetFlow;
  config: WidgetConfig;
  shadow: ShadowRoot;
  view: PanelView;
  client: ChatClient;
  /** A stored conversation was resumed: do not run the flow again, only offer withdrawal. */
  resumed: boolean;
  /** The flow ended in the chat (show the starters). */
  onChat(): void;
};

const css = `
.flow-buttons{display:flex;flex-wrap:wrap;gap:8px;align-self:stretch;margin:2px 6px}
.flow-field{display:flex;flex-direction:column;gap:4px}
.flow-purpose{font-size:12px;color:#52606d}
.flow-actions{display:flex;gap:8px;align-items:center}
.flow-skip,.forget{border:0;background:none;font:inherit;font-size:12.5px;color:#3e4c59;text-decoration:underline;cursor:pointer;padding:4px}
.forget{display:block;margin:0 auto 4px}
.forget[hidden]{display:none}
.flow-skip:focus-visible,.forget:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
`;

const gpcOn = (config: WidgetConfig) =>
  config.gpc === true ||
  (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

export function startFlow(ctx: FlowContext): void {
  const { view, client, config } = ctx;
  adoptStyles(ctx.shadow, css);
  const gpc = gpcOn(config);

  const forget = h(
    'button',
    { type: 'button', class: 'forget', hidden: true, 'aria-label': 'Withdraw consent and forget my details' },
    'Withdraw consent / forget my details',
  );
  view.root.querySelector('.footer')?.prepend(forget);
  forget.addEventListener('click', async () => {
    forget.disabled = true;
    try {
      await client.call('POST', '/consent/withdraw');
      forget.hidden = true;
      // The voice bundle unticks its "keep a recording" box (the server deleted the recordings).
      view.root.dispatchEvent(new CustomEvent('cw-consent-withdrawn'));
      view.addSystemLine('Consent withdrawn: the details you gave were deleted.');
    } catch {
      view.addError("Sorry, that didn't work. Please try again.", undefined);
    } finally {
      forget.disabled = false;
    }
  });

  if (ctx.resumed) {
    client
      .call('GET', '/consent')
      .then((state) => {
        forget.hidden = !((state as { purposes?: unknown[] }).purposes?.length ?? 0);
      })
      .catch(() => {});
    return;
  }

  const steps = ctx.flow.steps;
  const byId = new Map(steps.map((s, i) => [s.id, i]));

  const run = async (index: number | undefined): Promise<void> => {
    const step = index === undefined ? undefined : steps[index];
    if (!step) return ctx.onChat();
    const go = (next?: string) => run(next ? byId.get(next) : index! + 1);
    switch (step.type) {
      case 'message':
        view.addAssistant(step.text);
        return go(step.next);
      case 'buttons': {
        view.addAssistant(step.text);
        const group = h('div', { class: 'flow-buttons', role: 'group', 'aria-label': step.text });
        for (const b of step.buttons) {
          const chip = h('button', { type: 'button', class: 'chip' }, b.label);
          chip.addEventListener('click', () => {
            group.remove();
            view.addVisitor(b.label);
            void go(b.next);
          });
          group.append(chip);
        }
        view.addCustom(group);
        return;
      }
      case 'form': {
        // An agent that keeps nothing gets no fields (ephemeral): the form is skipped.
        if (step.fields.length === 0) return go(step.next);
        const fields = step.fields.filter((f) => !gpc || f.required);
        const post = async (values: Record<string, string>, consents: string[]) => {
          await client.start();
          return (await client.call('POST', `/flow/${encodeURIComponent(step.id)}`, {
            values,
            consents,
            ...(gpc ? { gpc: true } : {}),
          })) as { granted: string[] };
        };
        if (fields.length === 0) {
          // Never asked: the refusal (method gpc) is recorded, nothing else.
          await post({}, []).catch(() => {});
          return go(step.next);
        }
        view.addCustom(
          createConsentForm(step, fields, post, (outcome) => {
            if (outcome !== 'skipped' && outcome.granted.length) forget.hidden = false;
            void go(step.next);
          }),
        );
        return;
      }
      case 'handoff':
        view.addAssistant(step.text);
        try {
          await client.start();
          const { operatorsAvailable } = (await client.call('POST', '/handoff')) as {
            operatorsAvailable: boolean;
          };
          view.addSystemLine(operatorsAvailable ? config.handoff.onlineLine : config.handoff.offlineLine);
        } catch {
          view.addSystemLine(config.handoff.offlineLine);
        }
        return;
      case 'ai':
        view.addAssistant(step.text);
        return ctx.onChat();
    }
  };
  void run(0);
}
