import type { FlowStep } from '@confidant/contract';
import { purposesOf } from './flow-draft';

/**
 * How the widget shows the flow, drawn from the unsaved draft: every step in order (a real visit
 * follows the buttons), forms with their fields, purposes and one consent box per purpose.
 */
export function FlowPreview({ steps }: { steps: FlowStep[] }) {
  return (
    <aside className="flow-preview" aria-label="Widget preview">
      <p className="flow-preview-title">Preview</p>
      <div className="flow-preview-log">
        {steps.length === 0 && <p className="flow-bubble">The chat opens directly.</p>}
        {steps.map((step) => (
          <div key={step.id} className="flow-preview-step">
            {step.type !== 'form' && <p className="flow-bubble">{step.text}</p>}
            {step.type === 'buttons' && (
              <div className="flow-chips">
                {step.buttons.map((b, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: buttons and fields have no identity but their place
                  <span key={`${b.label}-${i}`} className="flow-chip">
                    {b.label}
                  </span>
                ))}
              </div>
            )}
            {step.type === 'handoff' && (
              <p className="flow-system">A person from the team joins (or the offline line).</p>
            )}
            {step.type === 'form' && (
              <div className="flow-form-preview">
                <strong>{step.title}</strong>
                {step.fields.map((f) => (
                  <div key={f.key} className="flow-form-field">
                    <span>
                      {f.label}
                      {f.required ? ' *' : ' (optional)'}
                    </span>
                    <span className="flow-input" aria-hidden="true">
                      {f.kind === 'select' ? (f.options ?? []).join(' / ') : ''}
                    </span>
                    <small>Why: to {f.purpose}</small>
                  </div>
                ))}
                {purposesOf(step.fields).map((p) => (
                  <p key={p} className="flow-consent">
                    <span className="flow-box" aria-hidden="true" />{' '}
                    {step.consentText.replaceAll('{purpose}', p)}
                  </p>
                ))}
              </div>
            )}
          </div>
        ))}
      </div>
    </aside>
  );
}
