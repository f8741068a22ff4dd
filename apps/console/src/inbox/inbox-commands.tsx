import { createContext, type ReactNode, useContext, useMemo, useRef } from 'react';

/**
 * What keyboard shortcuts can ask of the open conversation (r, n, e). The conversation pane
 * registers its handlers; the inbox page's shortcuts call them. Empty when no conversation is open.
 */
export type ConversationCommands = { reply: () => void; note: () => void; close: () => void };

type Registry = {
  current: () => ConversationCommands | null;
  register: (commands: ConversationCommands) => () => void;
};

const CommandsContext = createContext<Registry | null>(null);

export function InboxCommandsProvider({ children }: { children: ReactNode }) {
  const active = useRef<ConversationCommands | null>(null);
  const registry = useMemo<Registry>(
    () => ({
      current: () => active.current,
      register: (commands) => {
        active.current = commands;
        return () => {
          if (active.current === commands) active.current = null;
        };
      },
    }),
    [],
  );
  return <CommandsContext.Provider value={registry}>{children}</CommandsContext.Provider>;
}

export function useInboxCommands(): Registry {
  const registry = useContext(CommandsContext);
  if (!registry) throw new Error('useInboxCommands must be used inside InboxCommandsProvider');
  return registry;
}
