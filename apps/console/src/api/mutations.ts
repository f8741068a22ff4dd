import type { ConversationSummary, InboxMessage } from '@confidant/contract';
import { request } from './client';

/** The operator actions on one conversation (modules/inbox/routes.ts). */
export type ConversationAction = 'claim' | 'handback' | 'close' | 'reopen';

export const conversationActions = {
  act: (orgId: string, id: string, action: ConversationAction) =>
    request<ConversationSummary>(`/v1/conversations/${id}/${action}`, { method: 'POST', orgId }),
  assign: (orgId: string, id: string, userId: string | null) =>
    request<ConversationSummary>(`/v1/conversations/${id}/assign`, {
      method: 'POST',
      orgId,
      body: { userId },
    }),
  post: (orgId: string, id: string, text: string, internal: boolean) =>
    request<InboxMessage>(`/v1/conversations/${id}/messages`, {
      method: 'POST',
      orgId,
      body: { text, internal },
    }),
  typing: (orgId: string, id: string) =>
    request<void>(`/v1/conversations/${id}/typing`, { method: 'POST', orgId }),
  markRead: (orgId: string, id: string) =>
    request<void>(`/v1/conversations/${id}/read`, { method: 'POST', orgId }),
};
