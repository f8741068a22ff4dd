import type { Retention } from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { request } from '../api/client';

/** The Privacy pages' reads; the pages are lazily loaded, so these stay out of the initial bundle. */
export const privacyKeys = {
  retention: (orgId: string) => [orgId, 'privacy', 'retention'] as const,
};

export const retentionQuery = (orgId: string) =>
  queryOptions({
    queryKey: privacyKeys.retention(orgId),
    queryFn: ({ signal }) => request<Retention>('/v1/privacy/retention', { orgId, signal }),
  });
