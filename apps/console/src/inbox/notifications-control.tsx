import { Bell, BellRing } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import type { AlertPreferences } from './alert-preferences';
import { playWaitingChime, unlockSound } from './waiting-sound';

type Permission = NotificationPermission | 'unsupported';
const currentPermission = (): Permission =>
  'Notification' in window ? Notification.permission : 'unsupported';

/**
 * The inbox's bell: a small popover with two switches, "Desktop notifications" and "Sound", for
 * conversations that start waiting for a person. The browser's permission is requested only when
 * the person turns desktop notifications on; if the browser refuses, the switch stays off and
 * says why.
 */
export function NotificationsControl({
  preferences,
  onChange,
}: {
  preferences: AlertPreferences;
  onChange: (change: Partial<AlertPreferences>) => void;
}) {
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState<Permission>(currentPermission);
  const popoverId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const desktopOn = preferences.desktop && permission === 'granted';
  const anyOn = desktopOn || preferences.sound;

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const toggleDesktop = async () => {
    if (desktopOn) return onChange({ desktop: false });
    if (permission === 'unsupported') return;
    // Asked here, on the person's click, and nowhere else (answers at once if already granted).
    const granted = await Notification.requestPermission();
    setPermission(granted);
    onChange({ desktop: granted === 'granted' });
  };
  const toggleSound = () => {
    if (!preferences.sound) {
      unlockSound();
      playWaitingChime();
    }
    onChange({ sound: !preferences.sound });
  };

  return (
    <div className="notifications-control" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn btn-ghost btn-sm btn-icon"
        aria-label="Notifications"
        aria-expanded={open}
        aria-controls={popoverId}
        data-on={anyOn || undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {anyOn ? <BellRing /> : <Bell />}
      </button>
      {open && (
        <div id={popoverId} className="popover">
          <fieldset className="popover-fieldset">
            <legend className="popover-title">When a visitor waits for a person</legend>
            <Switch
              label="Desktop notifications"
              checked={desktopOn}
              disabled={permission === 'unsupported'}
              onToggle={() => void toggleDesktop()}
              hint={
                permission === 'denied'
                  ? 'Blocked in this browser. Allow notifications for this site in its settings.'
                  : permission === 'unsupported'
                    ? 'This browser cannot show notifications.'
                    : 'Shown when this tab is in the background or another conversation is open.'
              }
            />
            <Switch
              label="Sound"
              checked={preferences.sound}
              onToggle={toggleSound}
              hint="A short chime, at the same moments."
            />
          </fieldset>
        </div>
      )}
    </div>
  );
}

function Switch({
  label,
  hint,
  checked,
  disabled,
  onToggle,
}: {
  label: string;
  hint: string;
  checked: boolean;
  disabled?: boolean;
  onToggle: () => void;
}) {
  const hintId = useId();
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={checked}
        aria-describedby={hintId}
        disabled={disabled}
        onClick={onToggle}
      >
        <span className="switch-label">{label}</span>
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
      </button>
      <span id={hintId} className="field-hint">
        {hint}
      </span>
    </div>
  );
}
