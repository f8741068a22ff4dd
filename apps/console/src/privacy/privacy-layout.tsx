import { Outlet, useRouteContext } from '@tanstack/react-router';
import { PrivacyTabs } from './privacy-tabs';
import './privacy.css';

/** The Privacy section (admins and owners): a header, the tabs, then the current tab's page. */
export function PrivacyLayout() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  return (
    <div className="page privacy-page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Privacy</h1>
          <p className="page-lead">
            How long {membership.orgName} keeps what visitors and your team leave behind, and every person's
            right to a copy of their data or to its erasure.
          </p>
        </div>
      </header>
      <PrivacyTabs orgId={membership.orgId} />
      <Outlet />
    </div>
  );
}
