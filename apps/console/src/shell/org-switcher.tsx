import type { Me } from '@confidant/contract';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useNavigate } from '@tanstack/react-router';
import { Check, ChevronsUpDown } from 'lucide-react';

/**
 * The organization the console acts in (sent as X-Confidant-Org). A menu only when the person
 * belongs to several; switching opens the other org's inbox.
 */
export function OrgSwitcher({ me, orgId }: { me: Me; orgId: string }) {
  const navigate = useNavigate();
  const current = me.memberships.find((m) => m.orgId === orgId);
  const label = (
    <span className="org-label">
      <span className="org-avatar" aria-hidden="true">
        {(current?.orgName ?? '?').slice(0, 1).toUpperCase()}
      </span>
      <span className="org-text">
        <span className="org-name">{current?.orgName}</span>
        <span className="org-role">{current?.role}</span>
      </span>
    </span>
  );
  if (me.memberships.length < 2) return <div className="org-switcher">{label}</div>;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="org-switcher org-switcher-button"
        aria-label={`Organization: ${current?.orgName}. Switch organization`}
      >
        {label}
        <ChevronsUpDown className="org-chevron" aria-hidden="true" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">Organizations</DropdownMenu.Label>
          {me.memberships.map((m) => (
            <DropdownMenu.Item
              key={m.orgId}
              className="menu-item"
              onSelect={() =>
                navigate({ to: '/o/$orgId/inbox', params: { orgId: m.orgId }, search: { view: 'waiting' } })
              }
            >
              <span style={{ flex: 1 }}>{m.orgName}</span>
              {m.orgId === orgId && <Check aria-label="current" />}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
