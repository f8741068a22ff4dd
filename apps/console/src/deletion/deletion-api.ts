import type { DeletionSchedule, Me } from '@confidant/contract';
import { request } from '../api/client';

/** Organization and account deletion (modules/orgs/deletion, modules/auth/account-deletion.ts). */
export const deletionApi = {
  deleteOrg: (orgId: string) => request<DeletionSchedule>(`/v1/orgs/${orgId}`, { method: 'DELETE', orgId }),
  restoreOrg: (orgId: string) => request<unknown>(`/v1/orgs/${orgId}/restore`, { method: 'POST', orgId }),
  deleteMe: (password: string) =>
    request<DeletionSchedule>('/v1/me', { method: 'DELETE', body: { password } }),
  restoreMe: () => request<Me>('/v1/me/restore', { method: 'POST' }),
};

/** "30 December 2026": the day something scheduled for deletion is erased, in the reader's words. */
export function formatDay(iso: string | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}
