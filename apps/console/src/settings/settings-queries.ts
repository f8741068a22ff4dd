import type {
  EmbeddingModelSettings,
  ModelProviderEntry,
  NotificationPreferences,
  NotificationSettings,
} from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { request } from '../api/client';
import { queryKeys } from '../api/queries';

/** The Settings page's reads; the page is lazily loaded, so these stay out of the initial bundle. */
export const settingsKeys = {
  notificationSettings: (orgId: string) => [orgId, 'settings', 'notifications'] as const,
  preferences: (orgId: string) => [orgId, 'settings', 'preferences'] as const,
  embeddingModel: (orgId: string) => [orgId, 'settings', 'embedding-model'] as const,
};

/** The org's model providers, oldest first (the first is the default); shared with the agent page. */
export const modelProvidersQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.modelProviders(orgId),
    queryFn: ({ signal }) =>
      request<{ providers: ModelProviderEntry[] }>('/v1/model-providers', { orgId, signal }),
  });

export const notificationSettingsQuery = (orgId: string) =>
  queryOptions({
    queryKey: settingsKeys.notificationSettings(orgId),
    queryFn: ({ signal }) => request<NotificationSettings>('/v1/notifications/settings', { orgId, signal }),
  });

export const preferencesQuery = (orgId: string) =>
  queryOptions({
    queryKey: settingsKeys.preferences(orgId),
    queryFn: ({ signal }) =>
      request<NotificationPreferences>('/v1/notifications/preferences', { orgId, signal }),
  });

/** Which embedding model knowledge search uses, and how far re-embedding has come. */
export const embeddingModelQuery = (orgId: string) =>
  queryOptions({
    queryKey: settingsKeys.embeddingModel(orgId),
    queryFn: ({ signal }) =>
      request<EmbeddingModelSettings>('/v1/knowledge/embedding-model', { orgId, signal }),
  });
