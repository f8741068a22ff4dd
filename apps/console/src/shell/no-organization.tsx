import { Building2 } from 'lucide-react';
import { EmptyState } from '../ui/empty-state';
import { SignOutButton } from './sign-out-button';

/** A signed-in person who belongs to no organization yet (e.g. their membership was removed). */
export function NoOrganization() {
  return (
    <main className="centered-page">
      <EmptyState icon={<Building2 />} title="You are not a member of any organization yet">
        <p>
          Ask an owner or admin of your organization to invite you, then open the link in the invitation
          email.
        </p>
        <SignOutButton />
      </EmptyState>
    </main>
  );
}
