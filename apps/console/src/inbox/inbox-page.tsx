import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Outlet, useNavigate, useParams, useRouteContext, useSearch } from '@tanstack/react-router';
import { Keyboard } from 'lucide-react';
import { useRef, useState } from 'react';
import { conversationListQuery, countsQuery } from '../api/queries';
import { Button } from '../ui/button';
import { useAlertPreferences } from './alert-preferences';
import { ConversationList } from './conversation-list';
import { ConversationSearch } from './conversation-search';
import { InboxCommandsProvider, useInboxCommands } from './inbox-commands';
import { NotificationsControl } from './notifications-control';
import { ShortcutsDialog } from './shortcuts-dialog';
import { useInboxLive } from './use-inbox-live';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts';
import { useWaitingAlerts } from './use-waiting-alerts';
import { ViewTabs } from './view-tabs';

/** The inbox: views with live counts, search, the conversation list, and the open conversation beside it. */
export function InboxPage() {
  return (
    <InboxCommandsProvider>
      <InboxLayout />
    </InboxCommandsProvider>
  );
}

function InboxLayout() {
  const { orgId } = useParams({ from: '/o/$orgId' });
  const { me } = useRouteContext({ from: '/o/$orgId' });
  const { view, q } = useSearch({ from: '/o/$orgId/inbox' });
  const conversationId = useParams({ strict: false }).conversationId;
  const navigate = useNavigate();
  const commands = useInboxCommands();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const [alerts, setAlerts] = useAlertPreferences(me.id);
  useInboxLive(orgId, useWaitingAlerts({ orgId, openConversationId: conversationId, preferences: alerts }));

  const counts = useQuery(countsQuery(orgId));
  const list = useInfiniteQuery(conversationListQuery(orgId, view, q));
  const items = list.data?.pages.flatMap((page) => page.conversations);

  const move = (step: 1 | -1) => {
    if (!items?.length) return;
    const at = items.findIndex((c) => c.id === conversationId);
    const next =
      items[
        at === -1 ? (step === 1 ? 0 : items.length - 1) : Math.min(Math.max(at + step, 0), items.length - 1)
      ];
    if (next)
      void navigate({
        to: '/o/$orgId/inbox/$conversationId',
        params: { orgId, conversationId: next.id },
        search: { view, ...(q ? { q } : {}) },
      });
  };
  useKeyboardShortcuts({
    j: () => move(1),
    k: () => move(-1),
    r: () => commands.current()?.reply(),
    n: () => commands.current()?.note(),
    e: () => commands.current()?.close(),
    s: () => search.current?.focus(),
    '?': () => setShortcutsOpen(true),
  });

  return (
    <div className="inbox" data-has-conversation={conversationId ? 'true' : 'false'}>
      <section className="inbox-list-pane" aria-labelledby="inbox-heading">
        <header className="inbox-header">
          <h1 id="inbox-heading" className="page-title">
            Inbox
          </h1>
          <div className="inbox-header-tools">
            <NotificationsControl preferences={alerts} onChange={setAlerts} />
            <Button
              variant="ghost"
              size="sm"
              iconOnly
              aria-label="Keyboard shortcuts"
              onClick={() => setShortcutsOpen(true)}
            >
              <Keyboard />
            </Button>
          </div>
        </header>
        <ConversationSearch ref={search} q={q} />
        <ViewTabs orgId={orgId} q={q} counts={counts.data} />
        <ConversationList
          orgId={orgId}
          view={view}
          q={q}
          items={items}
          loading={list.isPending}
          selectedId={conversationId}
          more={
            list.hasNextPage
              ? { load: () => void list.fetchNextPage(), loading: list.isFetchingNextPage }
              : undefined
          }
        />
      </section>
      <Outlet />
      <ShortcutsDialog open={shortcutsOpen} onOpenChange={setShortcutsOpen} />
    </div>
  );
}
