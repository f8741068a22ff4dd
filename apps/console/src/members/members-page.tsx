import type { Invitation, Member, Role } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { UserPlus, Users } from 'lucide-react';
import { useState } from 'react';
import { request } from '../api/client';
import { invitationsQuery, membersQuery, queryKeys } from '../api/queries';
import { formatAge } from '../inbox/views';
import { roleAtMost } from '../shell/roles';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { InviteDialog } from './invite-dialog';
import { RoleSelect, roleName } from './role-select';

/** Who belongs to the organization: change roles, remove members, invite and revoke invitations. */
export function MembersPage() {
  const { me, membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const myRole = membership.role;
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const members = useQuery(membersQuery(orgId));
  const invitations = useQuery(invitationsQuery(orgId));
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.members(orgId) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.invitations(orgId) }),
    ]);
  const attempt = async (failure: string, action: () => Promise<unknown>, success?: string) => {
    try {
      await action();
      if (success) toasts.show({ tone: 'info', title: success });
    } catch (error) {
      toasts.showError(failure, error);
    } finally {
      await refresh();
    }
  };
  const changeRole = (member: Member, role: Role) =>
    attempt(
      `Could not change ${member.name}'s role`,
      () => request(`/v1/members/${member.userId}`, { method: 'PATCH', orgId, body: { role } }),
      `${member.name} is now ${roleName(role).toLowerCase()}`,
    );
  const pending = (invitations.data ?? []).filter((i) => i.status === 'pending');

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Members</h1>
          <p className="page-lead">People who can sign in to this organization, and what they may do.</p>
        </div>
        <Button variant="primary" onClick={() => setInviting(true)}>
          <UserPlus aria-hidden="true" />
          Invite a member
        </Button>
      </header>
      {members.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : members.data && members.data.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Members</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((member) => {
                const isMe = member.userId === me.id;
                const manageable = !isMe && roleAtMost(member.role, myRole);
                return (
                  <tr key={member.userId}>
                    <td>
                      {member.name}
                      {isMe && <span className="muted"> (you)</span>}
                    </td>
                    <td>{member.email}</td>
                    <td>
                      <RoleSelect
                        label={`Role of ${member.name}`}
                        hideLabel
                        value={member.role}
                        myRole={myRole}
                        disabled={!manageable}
                        onChange={(role) => changeRole(member, role)}
                      />
                    </td>
                    <td>{formatAge(member.createdAt)}</td>
                    <td className="table-actions">
                      {manageable && (
                        <Button
                          size="sm"
                          variant="danger"
                          aria-label={`Remove ${member.name}`}
                          onClick={() => setRemoving(member)}
                        >
                          Remove
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState icon={<Users />} title="No members yet" />
      )}

      <section className="form-stack" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" className="section-title">
          Pending invitations
        </h2>
        {pending.length === 0 ? (
          <p className="muted">No pending invitations. Invite someone with “Invite a member”.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{invitation.email}</td>
                    <td>
                      <Badge tone="accent">{roleName(invitation.role)}</Badge>
                    </td>
                    <td>{new Date(invitation.expiresAt).toLocaleDateString()}</td>
                    <td className="table-actions">
                      {roleAtMost(invitation.role, myRole) && (
                        <Button
                          size="sm"
                          variant="danger"
                          aria-label={`Revoke the invitation for ${invitation.email}`}
                          onClick={() => setRevoking(invitation)}
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
        )}
      </section>

      <InviteDialog
        orgId={orgId}
        myRole={myRole}
        open={inviting}
        onOpenChange={setInviting}
        onInvited={refresh}
      />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing?.name ?? ''}?`}
        description="They lose access to this organization at once. You can invite them again later."
        confirmLabel="Remove member"
        onConfirm={() =>
          attempt(
            'Could not remove the member',
            () => request(`/v1/members/${removing?.userId}`, { method: 'DELETE', orgId }),
            `Removed ${removing?.name}`,
          )
        }
      />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke the invitation for ${revoking?.email ?? ''}?`}
        description="The link they received stops working."
        confirmLabel="Revoke invitation"
        onConfirm={() =>
          attempt('Could not revoke the invitation', () =>
            request(`/v1/invitations/${revoking?.id}`, { method: 'DELETE', orgId }),
          )
        }
      />
    </div>
  );
}
