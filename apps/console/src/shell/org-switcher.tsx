import type { Me } from '@confidant/contract';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useNavigate } from '@tanstack/react-router';
import { Check, ChevronsUpDown } from 'lucide-react';

/**
 * The organization the console acts in (sent as X-Confidant-Org). A menu only when the person
 * belongs to several; switching opens the other org's inbox. A reseller's people also see the
 * client orgs they open through the reseller, grouped under it.
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
        <span className="org-name">
          <span className="visually-hidden">Organization: </span>
          {current?.orgName}
        </span>
        <span className="org-role" title={current?.via ? `Opened through ${current.via.orgName}` : undefined}>
          {current?.role}
          {current?.via && <span className="org-via"> · via {current.via.orgName}</span>}
        </span>
      </span>
    </span>
  );
  if (me.memberships.length < 2) return <div className="org-switcher">{label}</div>;
  return (
    <DropdownMenu.Root>
      {/* Named by its visible text (WCAG 2.5.3, label in name) plus the hidden words around it. */}
      <DropdownMenu.Trigger className="org-switcher org-switcher-button">
        {label}
        <span className="visually-hidden">. Switch organization</span>
        <ChevronsUpDown className="org-chevron" aria-hidden="true" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
          {groupsOf(me).map((group) => (
            <DropdownMenu.Group key={group.label}>
              <DropdownMenu.Label className="menu-label">{group.label}</DropdownMenu.Label>
              {group.orgs.map((m) => (
                <DropdownMenu.Item
                  key={m.orgId}
                  className="menu-item"
                  onSelect={() =>
                    navigate({
                      to: '/o/$orgId/inbox',
                      params: { orgId: m.orgId },
                      search: { view: 'waiting' },
                    })
                  }
                >
                  <span style={{ flex: 1 }}>{m.orgName}</span>
                  {m.orgId === orgId && <Check aria-label="current" />}
                </DropdownMenu.Item>
              ))}
            </DropdownMenu.Group>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

type Membership = Me['memberships'][number];

/** The person's own organizations first, then one group of clients per reseller. */
function groupsOf(me: Me): { label: string; orgs: Membership[] }[] {
  const own = me.memberships.filter((m) => !m.via);
  const clients = new Map<string, { label: string; orgs: Membership[] }>();
  for (const m of me.memberships) {
    if (!m.via) continue;
    const group = clients.get(m.via.orgId) ?? { label: `Clients of ${m.via.orgName}`, orgs: [] };
    group.orgs.push(m);
    clients.set(m.via.orgId, group);
  }
  return [{ label: 'Organizations', orgs: own }, ...clients.values()];
}
