import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { LogOut } from 'lucide-react';
import { signOut } from '../api/auth';
import { Button } from '../ui/button';
import { useToasts } from '../ui/toasts';

export function SignOutButton() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toasts = useToasts();
  return (
    <Button
      variant="ghost"
      onClick={async () => {
        try {
          await signOut();
          queryClient.clear();
          await navigate({ to: '/sign-in' });
        } catch (error) {
          toasts.showError('Could not sign out', error);
        }
      }}
    >
      <LogOut aria-hidden="true" />
      Sign out
    </Button>
  );
}
