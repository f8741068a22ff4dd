import { Link, Outlet, useMatchRoute, useRouteContext } from '@tanstack/react-router';
import {
  BarChart3,
  BookOpen,
  Bot,
  Inbox,
  KeyRound,
  PhoneCall,
  ScrollText,
  Settings,
  ShieldCheck,
  Users,
  Webhook,
} from 'lucide-react';
import { OrgDeletionBanner } from '../deletion/org-deletion-banner';
import { Logo } from './logo';
import { OrgSwitcher } from './org-switcher';
import { canAdminister } from './roles';
import { SignOutButton } from './sign-out-button';

/**
 * The frame around every page of an organization: brand, org switcher, navigation, the person.
 * While the org is scheduled for deletion the page area shows the deletion banner instead.
 * A navigation link is added only with a page that works (no placeholders); the names are the
 * stable accessible names the browser tests use ("Inbox", "Agents", "Knowledge", "Calls", "Members",
 * "API keys", "Audit log", "Privacy", "Usage", "Settings", "Webhooks").
 */
export function AppShell() {
  const { me, membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const onAccountPage = Boolean(useMatchRoute()({ to: '/o/$orgId/account', params: { orgId } }));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-brand">
          <Logo />
        </div>
        <OrgSwitcher me={me} orgId={orgId} />
        <nav className="nav" aria-label="Main">
          <Link
            to="/o/$orgId/inbox"
            params={{ orgId }}
            search={{ view: 'waiting' }}
            className="nav-link"
            activeOptions={{ includeSearch: false }}
          >
            <Inbox aria-hidden="true" />
            Inbox
          </Link>
          <Link to="/o/$orgId/agents" params={{ orgId }} className="nav-link">
            <Bot aria-hidden="true" />
            Agents
          </Link>
          <Link to="/o/$orgId/knowledge" params={{ orgId }} className="nav-link">
            <BookOpen aria-hidden="true" />
            Knowledge
          </Link>
          <Link to="/o/$orgId/calls" params={{ orgId }} className="nav-link">
            <PhoneCall aria-hidden="true" />
            Calls
          </Link>
          {canAdminister(membership.role) && (
            <>
              <Link to="/o/$orgId/members" params={{ orgId }} className="nav-link">
                <Users aria-hidden="true" />
                Members
              </Link>
              <Link to="/o/$orgId/api-keys" params={{ orgId }} className="nav-link">
                <KeyRound aria-hidden="true" />
                API keys
              </Link>
              <Link to="/o/$orgId/audit" params={{ orgId }} className="nav-link">
                <ScrollText aria-hidden="true" />
                Audit log
              </Link>
              <Link to="/o/$orgId/privacy" params={{ orgId }} className="nav-link">
                <ShieldCheck aria-hidden="true" />
                Privacy
              </Link>
            </>
          )}
          <Link to="/o/$orgId/usage" params={{ orgId }} className="nav-link">
            <BarChart3 aria-hidden="true" />
            Usage
          </Link>
          {canAdminister(membership.role) && (
            <Link to="/o/$orgId/settings" params={{ orgId }} className="nav-link">
              <Settings aria-hidden="true" />
              Settings
            </Link>
          )}
          {canAdminister(membership.role) && (
            <Link to="/o/$orgId/webhooks" params={{ orgId }} className="nav-link">
              <Webhook aria-hidden="true" />
              Webhooks
            </Link>
          )}
        </nav>
        <div className="sidebar-footer">
          <Link to="/o/$orgId/account" params={{ orgId }} className="person person-link">
            <span className="visually-hidden">Account: </span>
            <span className="person-avatar" aria-hidden="true">
              {me.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="person-text">
              <span className="person-name">{me.name}</span>
              <span className="person-email">{me.email}</span>
            </span>
          </Link>
          <SignOutButton />
        </div>
      </aside>
      <main id="main" className="shell-main" tabIndex={-1}>
        {/* While the org is scheduled for deletion the server refuses its pages: say why instead. */}
        {membership.deletionScheduledAt && !onAccountPage ? (
          <OrgDeletionBanner
            orgId={orgId}
            orgName={membership.orgName}
            hardDeleteAfter={membership.hardDeleteAfter}
            isOwner={membership.role === 'owner'}
          />
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}
