import type {
  NotificationPreferences,
  NotificationSettings,
  NotificationSettingsChanges,
} from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, serverFieldErrors } from '../agents/agent-form-model';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { type SecretChange, SecretField, secretPayload } from './secret-field';
import { SettingsCard } from './settings-card';
import { notificationSettingsQuery, preferencesQuery, settingsKeys } from './settings-queries';

/**
 * Notifications: the org's Slack webhook (write-only) and whether notifications may quote chat
 * text (GET/PUT /v1/notifications/settings), and the signed-in person's own email notifications
 * in this org (GET/PUT /v1/notifications/preferences).
 */
export function NotificationsSection({ orgId }: { orgId: string }) {
  const settings = useQuery(notificationSettingsQuery(orgId));
  const preferences = useQuery(preferencesQuery(orgId));
  return (
    <SettingsCard
      icon={<Bell aria-hidden="true" />}
      title="Notifications"
      lead="Tell your team when a visitor waits for a person. Email goes to each member as they choose; Slack goes to one channel for the whole organization."
    >
      {settings.isPending ? (
        <Skeleton height="6rem" />
      ) : settings.isError ? (
        <p className="form-error" role="alert">
          {describeError(settings.error)}
        </p>
      ) : (
        <OrgNotificationsForm
          key={`${settings.data.hasSlackWebhook}-${settings.data.previews}`}
          orgId={orgId}
          saved={settings.data}
        />
      )}
      <div className="settings-divider" />
      <h3 className="settings-subtitle">Your email notifications</h3>
      {preferences.isPending ? (
        <Skeleton height="5rem" />
      ) : preferences.isError ? (
        <p className="form-error" role="alert">
          {describeError(preferences.error)}
        </p>
      ) : (
        <PreferencesForm orgId={orgId} saved={preferences.data} />
      )}
    </SettingsCard>
  );
}

function OrgNotificationsForm({ orgId, saved }: { orgId: string; saved: NotificationSettings }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [webhook, setWebhook] = useState<SecretChange>({ mode: 'keep' });
  const [previews, setPreviews] = useState(saved.previews);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { value } = secretPayload(webhook);
  const dirty = value !== undefined || previews !== saved.previews;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setGeneral(null);
    const body: NotificationSettingsChanges = {
      previews,
      ...(value !== undefined ? { slackWebhookUrl: value } : {}),
    };
    setBusy(true);
    try {
      const stored = await request<NotificationSettings>('/v1/notifications/settings', {
        method: 'PUT',
        orgId,
        body,
      });
      queryClient.setQueryData(settingsKeys.notificationSettings(orgId), stored);
      setWebhook({ mode: 'keep' });
      toasts.show({ tone: 'info', title: 'Notification settings saved' });
    } catch (failure) {
      const server = serverFieldErrors(failure);
      setErrors(server.fields);
      setGeneral(server.general ?? (Object.keys(server.fields).length ? null : describeError(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-form" onSubmit={save} noValidate aria-label="Organization notifications">
      <SecretField
        label="Slack webhook URL"
        noun="webhook"
        type="url"
        placeholder="https://hooks.slack.com/services/…"
        isSet={saved.hasSlackWebhook}
        change={webhook}
        onChange={setWebhook}
        hint="An incoming webhook of the channel to post waiting conversations to."
        error={errors.slackWebhookUrl}
      />
      <label className="check-row">
        <input type="checkbox" checked={previews} onChange={(e) => setPreviews(e.target.checked)} />
        <span>
          <span className="check-label">Quote the visitor's message</span>
          <span className="field-hint">
            Off, notifications carry only a link to the conversation, so no chat text leaves Confidant.
          </span>
        </span>
      </label>
      {general && (
        <p className="form-error" role="alert">
          {general}
        </p>
      )}
      <div className="settings-actions">
        <Button type="submit" variant="primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save notifications'}
        </Button>
      </div>
    </form>
  );
}

const preferenceRows: { field: keyof NotificationPreferences; label: string; hint: string }[] = [
  {
    field: 'waitingConversation',
    label: 'A conversation waits for a person',
    hint: 'A visitor asked for a person, or the assistant could not answer.',
  },
  { field: 'assignedToMe', label: 'A conversation is assigned to me', hint: 'Someone handed it to you.' },
  {
    field: 'replyInMyConversation',
    label: 'A visitor replies in my conversation',
    hint: 'New messages in conversations you own.',
  },
];

/**
 * Each switch saves at once, optimistically (it only concerns the signed-in person); a failure
 * reverts it. The switch's own state flips in the click's render (React state, not only the query
 * cache, whose observers are notified a tick later), so the box never snaps back while saving.
 */
function PreferencesForm({ orgId, saved }: { orgId: string; saved: NotificationPreferences }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [pending, setPending] = useState<keyof NotificationPreferences | null>(null);
  const [shown, setShown] = useState<Partial<NotificationPreferences>>({});

  const toggle = async (field: keyof NotificationPreferences, value: boolean) => {
    setPending(field);
    setShown((current) => ({ ...current, [field]: value }));
    const key = settingsKeys.preferences(orgId);
    // A refetch already in flight (saving the org's notifications invalidates these) would land
    // after this and undo the switch; cancel it without reverting, then apply the change.
    void queryClient.cancelQueries({ queryKey: key }, { revert: false });
    queryClient.setQueryData<NotificationPreferences>(key, (current) =>
      current ? { ...current, [field]: value } : current,
    );
    try {
      const stored = await request<NotificationPreferences>('/v1/notifications/preferences', {
        method: 'PUT',
        orgId,
        body: { [field]: value },
      });
      queryClient.setQueryData(settingsKeys.preferences(orgId), stored);
      // The cache holds the saved value by now; let it drive the switch again (another tab's change shows).
      setShown(({ [field]: _done, ...rest }) => rest);
    } catch (failure) {
      queryClient.setQueryData<NotificationPreferences>(key, (current) =>
        current ? { ...current, [field]: !value } : current,
      );
      setShown((current) => ({ ...current, [field]: !value }));
      toasts.showError('Could not save your preference', failure);
    } finally {
      setPending(null);
    }
  };

  return (
    <fieldset className="settings-checks">
      <legend className="visually-hidden">Email me when</legend>
      {preferenceRows.map((row) => (
        <label key={row.field} className="check-row">
          <input
            type="checkbox"
            checked={shown[row.field] ?? saved[row.field]}
            aria-busy={pending === row.field || undefined}
            onChange={(e) => void toggle(row.field, e.target.checked)}
          />
          <span>
            <span className="check-label">{row.label}</span>
            <span className="field-hint">{row.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
