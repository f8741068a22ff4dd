import { useQuery } from '@tanstack/react-query';
import { meQuery } from '../api/queries';
import { DeleteAccountSection } from '../deletion/delete-account-section';
import { Skeleton } from '../ui/skeleton';
import { SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';
import './account.css';

/** The signed-in person's account: two-factor, sessions, deleting it. Reached from the person in the sidebar. */
export function AccountPage() {
  const me = useQuery(meQuery);
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Account</h1>
          <p className="page-lead">
            {me.data ? `${me.data.name} · ${me.data.email}` : 'Your sign-in and security.'}
          </p>
        </div>
      </header>
      {me.data ? <TwoFactorSection enabled={me.data.twoFactorEnabled} /> : <Skeleton height="8rem" />}
      <SessionsSection />
      <DeleteAccountSection />
    </div>
  );
}
