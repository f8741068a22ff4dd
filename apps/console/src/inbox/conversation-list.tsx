import type { ConversationListItem, InboxView } from '@confidant/contract';
import { Link } from '@tanstack/react-router';
import { Inbox, SearchX } from 'lucide-react';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { EphemeralBadge } from './ephemeral-badge';
import { RatingBadge } from './rating-badge';
import { formatAge, inboxViews, statusLabel, visitorLabel } from './views';

const emptyText: Record<InboxView, string> = {
  mine: 'Conversations you take over or are assigned appear here.',
  unassigned: 'Conversations nobody on the team owns yet appear here.',
  waiting: 'When a visitor asks for a person, the conversation appears here at once.',
  ai: 'Conversations your AI agent is answering appear here.',
  human: 'Conversations a person is answering appear here.',
  all: 'Add the widget to your site; every conversation appears here as it starts.',
  closed: 'Closed conversations appear here; reopen one to continue it.',
};

export function ConversationList({
  orgId,
  view,
  q,
  items,
  loading,
  selectedId,
  more,
}: {
  orgId: string;
  view: InboxView;
  q: string | undefined;
  items: ConversationListItem[] | undefined;
  loading: boolean;
  selectedId: string | undefined;
  /** "Load more": present while the server has further pages. */
  more: { load: () => void; loading: boolean } | undefined;
}) {
  const viewLabel = inboxViews.find((v) => v.id === view)?.label ?? 'Conversations';
  if (loading && !items)
    return (
      <div className="conversation-list" aria-busy="true">
        <p className="visually-hidden">Loading {viewLabel}…</p>
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="conversation-skeleton">
            <Skeleton width="40%" />
            <Skeleton width="85%" height="0.8rem" />
          </div>
        ))}
      </div>
    );
  if ((!items || items.length === 0) && q)
    return (
      <EmptyState icon={<SearchX />} title="No conversations match">
        <p>
          Nothing in {viewLabel} matches “{q}”. Try another word, an email address or a conversation id, or
          look in All.
        </p>
      </EmptyState>
    );
  if (!items || items.length === 0)
    return (
      <EmptyState icon={<Inbox />} title="No conversations here">
        <p>{emptyText[view]}</p>
      </EmptyState>
    );
  return (
    <div className="conversation-list">
      <ul className="conversation-list-items" aria-label={q ? `${viewLabel} matching ${q}` : viewLabel}>
        {items.map((c) => {
          const status = statusLabel[c.status];
          return (
            <li key={c.id}>
              <Link
                to="/o/$orgId/inbox/$conversationId"
                params={{ orgId, conversationId: c.id }}
                search={{ view, ...(q ? { q } : {}) }}
                className="conversation-item"
                aria-current={c.id === selectedId ? 'true' : undefined}
                data-unread={c.unread > 0 || undefined}
              >
                <span className="conversation-item-top">
                  <span className="conversation-item-name">{visitorLabel(c.id)}</span>
                  <time className="conversation-item-time" dateTime={c.lastMessageAt}>
                    {formatAge(c.lastMessageAt)}
                  </time>
                </span>
                <span className="conversation-item-preview">
                  {c.preview ||
                    (c.ephemeral && c.lastMessageAt !== c.createdAt ? 'Not stored' : 'No messages yet')}
                </span>
                <span className="conversation-item-meta">
                  <Badge tone={status.tone}>{status.label}</Badge>
                  {c.ephemeral && <EphemeralBadge />}
                  {c.rating != null && <RatingBadge score={c.rating} />}
                  {c.assigneeName && <span className="conversation-item-assignee">{c.assigneeName}</span>}
                  {c.unread > 0 && (
                    <span className="unread-count">
                      {c.unread}
                      <span className="visually-hidden"> unread</span>
                    </span>
                  )}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
      {more && (
        <div className="load-more">
          <Button
            variant="secondary"
            size="sm"
            onClick={more.load}
            disabled={more.loading}
            aria-busy={more.loading}
          >
            {more.loading ? 'Loading…' : 'Load more conversations'}
          </Button>
        </div>
      )}
    </div>
  );
}
