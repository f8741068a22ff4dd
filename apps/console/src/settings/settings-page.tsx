import { useRouteContext } from '@tanstack/react-router';
import { Building2 } from 'lucide-react';
import { DeleteOrgSection } from '../deletion/delete-org-section';
import { Badge } from '../ui/badge';
import { CopyButton } from '../ui/copy-button';
import { ModelProvidersSection } from './model-providers-section';
import { NotificationsSection } from './notifications-section';
import { SearchEmbeddingsSection } from './search-embeddings-section';
import { SettingsCard } from './settings-card';
import './settings.css';

/**
 * Organization-wide settings for admins and owners: model providers, search embeddings,
 * notifications, the org itself.
 */
export function SettingsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  return (
    <div className="page settings-page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Settings</h1>
          <p className="page-lead">
            How {membership.orgName} answers with a model, and how your team hears about visitors.
          </p>
        </div>
      </header>
      <ModelProvidersSection orgId={orgId} />
      <SearchEmbeddingsSection orgId={orgId} />
      <NotificationsSection orgId={orgId} />
      <SettingsCard
        icon={<Building2 aria-hidden="true" />}
        title="Organization"
        lead="Who this workspace belongs to. The id is what API clients and support requests refer to."
      >
        <dl className="settings-facts">
          <div>
            <dt>Name</dt>
            <dd>{membership.orgName}</dd>
          </div>
          <div>
            <dt>Organization id</dt>
            <dd className="settings-id">
              <code>{orgId}</code>
              <CopyButton text={orgId} label="Copy organization id" />
            </dd>
          </div>
          <div>
            <dt>Your role</dt>
            <dd>
              <Badge tone="accent">
                <span className="capitalize">{membership.role}</span>
              </Badge>
            </dd>
          </div>
        </dl>
      </SettingsCard>
      {membership.role === 'owner' && <DeleteOrgSection orgId={orgId} orgName={membership.orgName} />}
    </div>
  );
}
