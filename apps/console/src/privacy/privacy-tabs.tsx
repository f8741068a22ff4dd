import { Link } from '@tanstack/react-router';

/**
 * The Privacy section's tabs: one link per page, the current one marked for assistive tech
 * (aria-current). To add a tab, add its route under `/o/$orgId/privacy` (router.tsx) and an
 * entry here.
 */
const tabs = [
  { to: '/o/$orgId/privacy', label: 'Retention', exact: true },
  { to: '/o/$orgId/privacy/requests', label: 'Requests', exact: false },
  { to: '/o/$orgId/privacy/redaction', label: 'Redaction', exact: false },
  { to: '/o/$orgId/privacy/records', label: 'Records', exact: false },
  { to: '/o/$orgId/privacy/incidents', label: 'Incidents', exact: false },
] as const;

export function PrivacyTabs({ orgId }: { orgId: string }) {
  return (
    <nav className="privacy-tabs" aria-label="Privacy sections">
      {tabs.map((tab) => (
        <Link
          key={tab.to}
          to={tab.to}
          params={{ orgId }}
          className="privacy-tab"
          activeOptions={{ exact: tab.exact }}
          activeProps={{ 'aria-current': 'page' }}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
