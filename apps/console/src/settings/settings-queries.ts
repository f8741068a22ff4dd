import type { ModelProvider, NotificationPreferences, NotificationSettings } from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { request } from '../api/client';

/** The Settings page's reads; the page is lazily loaded, so these stay out of the initial bundle. */
export const settingsKeys = {
  modelProvider: (orgId: string) => [orgId, 'settings', 'model-provider'] as const,
  notificationSettings: (orgId: string) => [orgId, 'settings', 'notifications'] as const,
  preferences: (orgId: string) => [orgId, 'settings', 'preferences'] as const,
};

/** null while the org has no provider of its own (the API answers 404). */
export const modelProviderQuery = (orgId: string) =>
  queryOptions({
    queryKey: settingsKeys.modelProvider(orgId),
    queryFn: async ({ signal }) => {
      try {
        return await request<ModelProvider>('/v1/model-provider', { orgId, signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
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
