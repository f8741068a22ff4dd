import type { Persistence } from '@confidant/contract';

/**
 * The only module that touches web storage (widget-assets.test.ts checks the bundle names each
 * storage API once). What it keeps is `{ conversationId, token, lastEventId }`, nothing else.
 *
 * Invariants (DESIGN.md §4.8):
 * - nothing is written before the visitor's first message: the panel calls `save` only once a
 *   conversation exists, and a conversation is created by the first send;
 * - `none`: nothing is ever written (and nothing read);
 * - `tab`: sessionStorage, so a reload in this tab resumes and closing the tab forgets;
 * - `device`: sessionStorage like `tab`, and localStorage only while the visitor has ticked
 *   "Remember this chat on this device" (off by default; unticking erases it).
 * Storage that throws (blocked by the browser, quota) is treated as absent: the chat still works.
 */
export type StoredSession = { conversationId: string; token: string; lastEventId?: string };

export type SessionStore = {
  load(): StoredSession | undefined;
  save(session: StoredSession): void;
  setRemembered(remember: boolean, session: StoredSession | undefined): void;
  isRemembered(): boolean;
  clear(): void;
};

const storageArea = (kind: 'tab' | 'device'): Storage | undefined => {
  try {
    return kind === 'tab' ? window.sessionStorage : window.localStorage;
  } catch {
    return undefined;
  }
};

function read(area: Storage | undefined, key: string): StoredSession | undefined {
  try {
    const value = JSON.parse(area?.getItem(key) ?? 'null') as Partial<StoredSession> | null;
    if (typeof value?.conversationId !== 'string' || typeof value.token !== 'string') return undefined;
    return {
      conversationId: value.conversationId,
      token: value.token,
      ...(typeof value.lastEventId === 'string' ? { lastEventId: value.lastEventId } : {}),
    };
  } catch {
    return undefined;
  }
}

function write(area: Storage | undefined, key: string, session: StoredSession | undefined): void {
  try {
    if (session) area?.setItem(key, JSON.stringify(session));
    else area?.removeItem(key);
  } catch {
    // Storage refused: continue without continuity.
  }
}

export function createSessionStore(persistence: Persistence, agentKey: string): SessionStore {
  const key = `confidant-chat:${agentKey}`;
  if (persistence === 'none') {
    return {
      load: () => undefined,
      save: () => {},
      setRemembered: () => {},
      isRemembered: () => false,
      clear: () => {},
    };
  }
  const tab = storageArea('tab');
  const device = persistence === 'device' ? storageArea('device') : undefined;
  let remembered = device !== undefined && read(device, key) !== undefined;
  return {
    load: () => read(tab, key) ?? (remembered ? read(device, key) : undefined),
    save(session) {
      write(tab, key, session);
      if (remembered) write(device, key, session);
    },
    setRemembered(remember, session) {
      if (!device) return;
      remembered = remember;
      write(device, key, remember ? session : undefined);
    },
    isRemembered: () => remembered,
    clear() {
      write(tab, key, undefined);
      if (device) write(device, key, undefined);
      remembered = false;
    },
  };
}
