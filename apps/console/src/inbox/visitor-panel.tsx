import type { ConversationDetail, InboxView } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Mail, X } from 'lucide-react';
import { type ReactNode, useEffect, useRef } from 'react';
import { agentsQuery, relatedConversationsQuery } from '../api/queries';
import { Badge } from '../ui/badge';
import { Skeleton } from '../ui/skeleton';
import { CapturedDataCard } from './captured-data-card';
import { formatAge, statusLabel, visitorLabel } from './views';

const languageNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'language' });
  } catch {
    return undefined;
  }
})();
const languageName = (tag: string) => {
  try {
    return languageNames?.of(tag) ?? tag;
  } catch {
    return tag;
  }
};
const startedAt = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The visitor's side panel: where the chat started, who handles it, the contact details the
 * visitor left with consent (the API gives none otherwise, and this shows none otherwise), and
 * their past conversations in this org. A column on wide screens, a drawer on narrow ones
 * (`drawer`: focus moves in when it opens, Tab stays inside it, Escape closes it).
 */
export function VisitorPanel({
  orgId,
  view,
  q,
  conversation,
  drawer,
  onClose,
}: {
  orgId: string;
  view: InboxView;
  q: string | undefined;
  conversation: ConversationDetail;
  drawer: boolean;
  onClose: () => void;
}) {
  const agents = useQuery(agentsQuery(orgId));
  const related = useQuery(relatedConversationsQuery(orgId, conversation.id));
  const heading = useRef<HTMLHeadingElement>(null);
  const agentName = agents.data?.find((a) => a.id === conversation.agentId)?.name;
  const status = statusLabel[conversation.status];

  useEffect(() => {
    if (drawer) heading.current?.focus();
  }, [drawer]);

  return (
    <aside
      id="visitor-panel"
      className="visitor-panel"
      data-drawer={drawer || undefined}
      aria-labelledby="visitor-panel-heading"
      onKeyDown={(e) => {
        if (!drawer) return;
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        } else if (e.key === 'Tab') {
          keepFocusInside(e.currentTarget, e);
        }
      }}
    >
      <header className="visitor-panel-header">
        <h2 id="visitor-panel-heading" className="visitor-panel-title" tabIndex={-1} ref={heading}>
          Visitor
        </h2>
        <button
          type="button"
          className="btn btn-ghost btn-sm btn-icon"
          aria-label="Close visitor details"
          onClick={onClose}
        >
          <X />
        </button>
      </header>

      <section className="visitor-section" aria-labelledby="visitor-started-heading">
        <h3 id="visitor-started-heading" className="visitor-section-title">
          This conversation
        </h3>
        <dl className="visitor-facts">
          <Fact label="Started">
            <time dateTime={conversation.createdAt}>{startedAt(conversation.createdAt)}</time>
          </Fact>
          <Fact label="Page">
            {conversation.pageUrl ? (
              <a
                href={conversation.pageUrl}
                target="_blank"
                rel="noopener noreferrer"
                className="visitor-link"
              >
                {pagePath(conversation.pageUrl)}
              </a>
            ) : (
              <span className="visitor-unknown">Not known</span>
            )}
          </Fact>
          <Fact label="Origin">
            {conversation.origin ? (
              <span className="mono">{conversation.origin}</span>
            ) : (
              <span className="visitor-unknown">Not known</span>
            )}
          </Fact>
          <Fact label="Language">
            {conversation.language ? (
              <>
                {languageName(conversation.language)}{' '}
                <span className="visitor-unknown visitor-tag">({conversation.language})</span>
              </>
            ) : (
              <span className="visitor-unknown">Not known</span>
            )}
          </Fact>
          <Fact label="Agent">{agentName ?? (agents.isPending ? '…' : 'Removed agent')}</Fact>
          <Fact label="State">
            <Badge tone={status.tone}>{status.label}</Badge>
          </Fact>
          <Fact label="Owner">
            {conversation.assigneeName ?? <span className="visitor-unknown">Nobody</span>}
          </Fact>
        </dl>
      </section>

      <section className="visitor-section" aria-labelledby="visitor-contact-heading">
        <h3 id="visitor-contact-heading" className="visitor-section-title">
          Contact
        </h3>
        {conversation.identity && (
          <div className="visitor-identity">
            <p className="visitor-identity-name">
              {conversation.identity.name ?? conversation.identity.email ?? 'Signed-in user'}{' '}
              <Badge tone="success">Verified</Badge>
            </p>
            <p className="visitor-note">
              User ID <span className="mono">{conversation.identity.userId}</span>
              {conversation.identity.email && conversation.identity.name
                ? ` · ${conversation.identity.email}`
                : ''}
            </p>
          </div>
        )}
        {conversation.contactEmail ? (
          <>
            <a href={`mailto:${conversation.contactEmail}`} className="visitor-link visitor-email">
              <Mail aria-hidden="true" />
              {conversation.contactEmail}
            </a>
            <p className="visitor-note">Left with consent, for a reply by email.</p>
          </>
        ) : (
          <p className="visitor-note">
            {conversation.identity
              ? 'Identified by your site; no address left for a reply by email.'
              : 'No contact details: the visitor has not left any with consent.'}
          </p>
        )}
      </section>

      <CapturedDataCard orgId={orgId} conversationId={conversation.id} />

      <section className="visitor-section" aria-labelledby="visitor-past-heading">
        <h3 id="visitor-past-heading" className="visitor-section-title">
          Past conversations
        </h3>
        {related.isPending ? (
          <Skeleton width="80%" />
        ) : related.isError ? (
          <p className="visitor-note">Past conversations could not be loaded.</p>
        ) : related.data.identifiedBy === null ? (
          <p className="visitor-note">
            Visitors are anonymous. Conversations are linked only when the visitor leaves the same email with
            consent.
          </p>
        ) : related.data.conversations.length === 0 ? (
          <p className="visitor-note">None in this organization.</p>
        ) : (
          <ul className="visitor-past" aria-labelledby="visitor-past-heading">
            {related.data.conversations.map((c) => (
              <li key={c.id}>
                <Link
                  to="/o/$orgId/inbox/$conversationId"
                  params={{ orgId, conversationId: c.id }}
                  search={{ view, ...(q ? { q } : {}) }}
                  className="visitor-past-item"
                >
                  <span className="visitor-past-top">
                    <span className="visitor-past-name">{visitorLabel(c.id)}</span>
                    <time dateTime={c.createdAt}>{formatAge(c.createdAt)}</time>
                  </span>
                  <span className="visitor-past-preview">{c.preview || 'No messages'}</span>
                  <Badge tone={statusLabel[c.status].tone}>{statusLabel[c.status].label}</Badge>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="visitor-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The path is what tells an operator something ("/pricing"); the origin is shown beside it. */
function pagePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/** Tab from the drawer's last control goes to its first (Shift+Tab the other way): the page behind is covered. */
function keepFocusInside(container: HTMLElement, e: { shiftKey: boolean; preventDefault(): void }) {
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (
    e.shiftKey &&
    (active === first || !container.contains(active) || active === container.querySelector('h2'))
  ) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}
