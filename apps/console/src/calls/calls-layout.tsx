import { Link, Outlet, useRouteContext } from '@tanstack/react-router';
import { canAdminister } from '../shell/roles';
import '../ui/charts.css';
import './calls.css';

/**
 * The Calls section: a header, a tab per page (the list, the team dashboard and, for admins and
 * owners, rubrics and settings), then the current tab. To add a tab, add its route under
 * `/o/$orgId/calls` (router.tsx) and an entry here.
 */
const tabs = [
  { to: '/o/$orgId/calls', label: 'Calls', exact: true, admin: false },
  { to: '/o/$orgId/calls/dashboard', label: 'Dashboard', exact: false, admin: false },
  { to: '/o/$orgId/calls/rubrics', label: 'Rubrics', exact: false, admin: true },
  { to: '/o/$orgId/calls/settings', label: 'Settings', exact: false, admin: true },
] as const;

export function CallsLayout() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const admin = canAdminister(membership.role);
  return (
    <div className="page calls-page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Calls</h1>
          <p className="page-lead">
            Sales and support calls, transcribed and scored against your rubrics, with coaching for each rep.
          </p>
        </div>
      </header>
      <nav className="section-tabs" aria-label="Calls sections">
        {tabs
          .filter((tab) => admin || !tab.admin)
          .map((tab) => (
            <Link
              key={tab.to}
              to={tab.to}
              params={{ orgId: membership.orgId }}
              className="section-tab"
              activeOptions={{ exact: tab.exact, includeSearch: false }}
              activeProps={{ 'aria-current': 'page' }}
            >
              {tab.label}
            </Link>
          ))}
      </nav>
      <Outlet />
    </div>
  );
}
