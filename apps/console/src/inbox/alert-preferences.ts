import { useCallback, useState } from 'react';

/**
 * The inbox's waiting alerts, chosen per person on this browser (localStorage, keyed by user id,
 * so two people sharing a browser profile keep their own). Off until the person turns them on:
 * desktop notifications also need the browser's permission, asked for only at that moment.
 */
export type AlertPreferences = { desktop: boolean; sound: boolean };

const OFF: AlertPreferences = { desktop: false, sound: false };
const storageKey = (userId: string) => `confidant:inbox-alerts:${userId}`;

export function readAlertPreferences(userId: string): AlertPreferences {
  try {
    const stored = JSON.parse(
      localStorage.getItem(storageKey(userId)) ?? 'null',
    ) as Partial<AlertPreferences>;
    return { desktop: stored?.desktop === true, sound: stored?.sound === true };
  } catch {
    return OFF;
  }
}

export function useAlertPreferences(userId: string) {
  const [preferences, setPreferences] = useState(() => readAlertPreferences(userId));
  const update = useCallback(
    (change: Partial<AlertPreferences>) =>
      setPreferences((current) => {
        const next = { ...current, ...change };
        try {
          localStorage.setItem(storageKey(userId), JSON.stringify(next));
        } catch {
          // Storage refused: the choice lasts for this page only.
        }
        return next;
      }),
    [userId],
  );
  return [preferences, update] as const;
}
