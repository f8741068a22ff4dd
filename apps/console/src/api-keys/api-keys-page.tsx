import type { ApiKey } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { KeyRound, Plus } from 'lucide-react';
import { useState } from 'react';
import { request } from '../api/client';
import { apiKeysQuery, queryKeys } from '../api/queries';
import { formatAge } from '../inbox/views';
import { roleAtMost } from '../shell/roles';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { CreateKeyDialog } from './create-key-dialog';

/** The org's API keys: list, create (secret shown once), revoke (after confirmation). */
export function ApiKeysPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const keys = useQuery(apiKeysQuery(orgId));
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys(orgId) });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">API keys</h1>
          <p className="page-lead">Keys let scripts and integrations call the API as this organization.</p>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          <Plus aria-hidden="true" />
          Create API key
        </Button>
      </header>
      {keys.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : keys.data && keys.data.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} data-muted={key.revokedAt ? true : undefined}>
                  <td>{key.name}</td>
                  <td className="mono">{key.prefix}…</td>
                  <td className="capitalize">{key.role}</td>
                  <td>{formatAge(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? formatAge(key.lastUsedAt) : 'Never'}</td>
                  <td>{key.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}</td>
                  <td className="table-actions">
                    {!key.revokedAt && roleAtMost(key.role, membership.role) && (
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={`Revoke ${key.name}`}
                        onClick={() => setRevoking(key)}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState icon={<KeyRound />} title="No API keys yet">
          <p>
            Create a key for each script or integration, so you can revoke one without touching the others.
          </p>
        </EmptyState>
      )}
      <CreateKeyDialog
        orgId={orgId}
        myRole={membership.role}
        open={creating}
        onOpenChange={setCreating}
        onCreated={refresh}
      />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Anything using this key stops working at once. This cannot be undone."
        confirmLabel="Revoke key"
        onConfirm={async () => {
          if (!revoking) return;
          try {
            await request(`/v1/api-keys/${revoking.id}`, { method: 'DELETE', orgId });
            toasts.show({ tone: 'info', title: `Revoked “${revoking.name}”` });
            await refresh();
          } catch (error) {
            toasts.showError('Could not revoke the key', error);
          }
        }}
      />
    </div>
  );
}
