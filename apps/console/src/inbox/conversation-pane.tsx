import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useRouteContext, useSearch } from '@tanstack/react-router';
import { ArrowLeft, Globe, PanelRight } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { isUnauthenticated } from '../api/api-error';
import { conversationActions } from '../api/mutations';
import { conversationQuery, queryKeys } from '../api/queries';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { ActionApprovals } from './action-approvals';
import { Composer, type ComposerHandle } from './composer';
import { ConversationActions, LegalHoldBadge, useConversationAction } from './conversation-actions';
import { ConversationNotes } from './conversation-notes';
import { EphemeralBadge } from './ephemeral-badge';
import { useInboxCommands } from './inbox-commands';
import { Transcript } from './transcript';
import { useVisitorPanel } from './use-visitor-panel';
import { statusLabel, visitorLabel } from './views';
import { VisitorPanel } from './visitor-panel';

/** One conversation: who owns it, the actions, the transcript and the reply box. */
export function ConversationPane() {
  const { orgId, conversationId } = useParams({ from: '/o/$orgId/inbox/$conversationId' });
  const { view, q } = useSearch({ from: '/o/$orgId/inbox' });
  const panel = useVisitorPanel(conversationId);
  const panelToggle = useRef<HTMLButtonElement>(null);
  const closePanel = () => {
    panel.setOpen(false);
    panelToggle.current?.focus();
  };
  const { me, membership } = useRouteContext({ from: '/o/$orgId' });
  const queryClient = useQueryClient();
  const detail = useQuery(conversationQuery(orgId, conversationId));
  const composer = useRef<ComposerHandle>(null);
  const commands = useInboxCommands();
  const runAction = useConversationAction(orgId, conversationId);
  const canAct = membership.role !== 'viewer';
  const messageCount = detail.data?.messages.length ?? 0;

  // Opening a conversation, and every new line while it is open, marks it read for this person.
  useEffect(() => {
    if (messageCount === 0) return;
    conversationActions
      .markRead(orgId, conversationId)
      .then(() => queryClient.invalidateQueries({ queryKey: queryKeys.conversations(orgId) }))
      .catch(() => {});
  }, [orgId, conversationId, messageCount, queryClient]);

  useEffect(
    () =>
      commands.register({
        reply: () => composer.current?.focus('reply'),
        note: () => composer.current?.focus('note'),
        close: () => {
          if (canAct && detail.data && detail.data.status !== 'closed') runAction('close');
        },
      }),
    [commands, canAct, detail.data, runAction],
  );

  const back = (
    <Link
      to="/o/$orgId/inbox"
      params={{ orgId }}
      search={{ view, ...(q ? { q } : {}) }}
      className="btn btn-ghost btn-sm back-link"
    >
      <ArrowLeft aria-hidden="true" />
      All conversations
    </Link>
  );

  if (detail.isPending)
    return (
      <section className="conversation-pane" aria-label="Conversation" aria-busy="true">
        <div className="conversation-header">
          <Skeleton width="12rem" height="1.25rem" />
        </div>
        <div className="transcript-skeleton">
          <Skeleton width="60%" height="3rem" />
          <Skeleton width="45%" height="3rem" />
          <Skeleton width="55%" height="3rem" />
        </div>
      </section>
    );
  if (detail.isError || !detail.data)
    return (
      <section className="conversation-pane" aria-label="Conversation">
        {back}
        <EmptyState icon={<Globe />} title="This conversation cannot be shown">
          <p>
            {isUnauthenticated(detail.error)
              ? 'Your session ended. Sign in again.'
              : 'It may have been deleted.'}
          </p>
        </EmptyState>
      </section>
    );

  const conversation = detail.data;
  const status = statusLabel[conversation.status];
  const title = visitorLabel(conversation.id);
  return (
    <>
      <section className="conversation-pane" aria-label={`Conversation with ${title}`}>
        <header className="conversation-header">
          {back}
          <div className="conversation-title-block">
            <h2 className="conversation-title">{title}</h2>
            <div className="conversation-subtitle">
              <Badge tone={status.tone}>{status.label}</Badge>
              {conversation.ephemeral && <EphemeralBadge />}
              <LegalHoldBadge conversation={conversation} />
              {conversation.assigneeName && <span>Assigned to {conversation.assigneeName}</span>}
              {conversation.origin && <span className="conversation-origin">{conversation.origin}</span>}
            </div>
          </div>
          <button
            type="button"
            ref={panelToggle}
            className="btn btn-ghost btn-sm visitor-toggle"
            aria-expanded={panel.open}
            aria-controls={panel.open ? 'visitor-panel' : undefined}
            onClick={() => panel.setOpen(!panel.open)}
          >
            <PanelRight aria-hidden="true" />
            Visitor details
          </button>
          {canAct && (
            <ConversationActions
              orgId={orgId}
              conversation={conversation}
              me={me}
              role={membership.role}
              onAction={runAction}
            />
          )}
        </header>
        <ConversationNotes conversation={conversation} />
        <Transcript orgId={orgId} conversation={conversation} />
        <ActionApprovals orgId={orgId} conversationId={conversation.id} canAct={canAct} />
        {canAct && conversation.status !== 'closed' && (
          <Composer ref={composer} key={conversation.id} orgId={orgId} conversationId={conversation.id} />
        )}
        {conversation.status === 'closed' && (
          <p className="conversation-closed-note">This conversation is closed. Reopen it to reply.</p>
        )}
      </section>
      {panel.open && (
        <>
          {panel.drawer && <div className="drawer-backdrop" aria-hidden="true" onClick={closePanel} />}
          <VisitorPanel
            orgId={orgId}
            view={view}
            q={q}
            conversation={conversation}
            drawer={panel.drawer}
            onClose={closePanel}
          />
        </>
      )}
    </>
  );
}
