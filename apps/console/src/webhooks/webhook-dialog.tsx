import { type CreatedWebhookEndpoint, type WebhookEventType, webhookEventTypes } from '@confidant/contract';
import { useState } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { useShownOnce } from '../ui/use-shown-once';
import { SecretShownOnce } from './secret-shown-once';
import { createWebhook, eventLabels } from './webhooks-api';

/**
 * Adds an outgoing endpoint: URL, events (checkboxes), whether message text goes with
 * `message.created`; then shows the signing secret once.
 */
export function WebhookDialog({
  orgId,
  open,
  onOpenChange,
  onCreated,
}: {
  orgId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['conversation.waiting']);
  const [includeContent, setIncludeContent] = useState(false);
  const { error, busy, created, submit, reset } = useShownOnce<CreatedWebhookEndpoint>(
    () => createWebhook(orgId, { url: url.trim(), description: description.trim(), events, includeContent }),
    onCreated,
  );
  const close = (next: boolean) => {
    if (!next) {
      setUrl('');
      setDescription('');
      setEvents(['conversation.waiting']);
      setIncludeContent(false);
      reset();
    }
    onOpenChange(next);
  };
  const toggle = (event: WebhookEventType, on: boolean) =>
    setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)));

  if (created)
    return (
      <Dialog open={open} onOpenChange={close} title="Webhook added">
        <SecretShownOnce secret={created.secret} onDone={() => close(false)} />
      </Dialog>
    );

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Add a webhook"
      description="Events are signed with Standard Webhooks; payloads hold ids and types."
    >
      <form className="form-stack" onSubmit={submit} noValidate>
        <TextField
          label="Endpoint URL"
          hint="Where events are posted, e.g. https://example.com/hooks/confidant"
          required
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <TextField
          label="Description"
          maxLength={200}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset className="form-stack">
          <legend className="field-label">Events</legend>
          {webhookEventTypes.map((event) => (
            <label key={event} className="check-row">
              <input
                type="checkbox"
                checked={events.includes(event)}
                onChange={(e) => toggle(event, e.target.checked)}
              />
              <span className="check-label">
                <span className="mono">{event}</span> — {eventLabels[event]}
              </span>
            </label>
          ))}
        </fieldset>
        <label className="check-row">
          <input
            type="checkbox"
            checked={includeContent}
            onChange={(e) => setIncludeContent(e.target.checked)}
          />
          <span className="check-label">Include message text (otherwise ids and types only)</span>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !url.trim() || events.length === 0}>
            Add webhook
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
