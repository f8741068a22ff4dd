import type { InboxCounts } from '@confidant/contract';
import { Link } from '@tanstack/react-router';
import { inboxViews } from './views';

/** The inbox views with their live counts (GET /v1/conversations/counts, refreshed by events). */
export function ViewTabs({
  orgId,
  q,
  counts,
}: {
  orgId: string;
  q: string | undefined;
  counts: InboxCounts | undefined;
}) {
  return (
    <nav className="view-tabs" aria-label="Inbox views">
      {inboxViews.map((view) => (
        <Link
          key={view.id}
          to="/o/$orgId/inbox"
          params={{ orgId }}
          search={{ view: view.id, ...(q ? { q } : {}) }}
          className="view-tab"
          activeOptions={{ exact: false, includeSearch: true }}
          activeProps={{ 'aria-current': 'page' }}
        >
          <span>{view.label}</span>
          <span className="view-count">{counts ? counts[view.id] : '–'}</span>
        </Link>
      ))}
    </nav>
  );
}
