import { useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { CopyButton } from '../ui/copy-button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';

const serverExample = `// On your server, for the signed-in user:
const hmac = crypto.createHmac('sha256', IDENTITY_SECRET).update(user.id).digest('hex');
// In the page, after widget.js has loaded:
Confidant.identify({ userId: user.id, email: user.email, name: user.name }, { hmac });`;

/**
 * Identity verification (Confidant.identify): generates the agent's identity secret, shown once;
 * generating again rotates it (after a confirmation, since pages signing with the old one stop
 * being trusted). The server keeps it encrypted and never shows it again.
 */
export function IdentitySecretCard({ orgId, agentId }: { orgId: string; agentId: string }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const queryKey = [orgId, 'agents', agentId, 'identity-secret'] as const;
  const status = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      request<{ configured: boolean }>(`/v1/agents/${agentId}/identity-secret`, { orgId, signal }),
  });
  const [confirming, setConfirming] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await request<{ secret: string }>(`/v1/agents/${agentId}/identity-secret`, {
        method: 'POST',
        orgId,
      });
      setSecret(created.secret);
      await queryClient.invalidateQueries({ queryKey });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  const configured = status.data?.configured ?? false;

  return (
    <section className="card snippet-card" aria-labelledby={headingId}>
      <div className="snippet-head">
        <h2 id={headingId} className="section-title">
          Verify who visitors are
        </h2>
        {status.isSuccess && (
          <Badge tone={configured ? 'success' : 'neutral'}>{configured ? 'Secret set' : 'Not set up'}</Badge>
        )}
      </div>
      <p className="muted">
        When your site knows who is signed in, it can tell the chat with Confidant.identify. Your server signs
        the user id with this agent’s identity secret, so a visitor cannot pretend to be someone else; the
        identity then appears in the inbox and lets privacy requests find their conversations.
      </p>
      <pre className="snippet">
        <code>{serverExample}</code>
      </pre>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div>
        <Button
          disabled={busy || status.isPending}
          onClick={() => (configured ? setConfirming(true) : void generate())}
        >
          <KeyRound aria-hidden="true" />
          {configured ? 'Rotate identity secret' : 'Generate identity secret'}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Rotate the identity secret?"
        description="Pages still signing with the current secret stop being trusted at once: update your server with the new secret right away."
        confirmLabel="Rotate secret"
        onConfirm={generate}
      />
      <Dialog
        open={secret !== null}
        onOpenChange={(open) => !open && setSecret(null)}
        title="Your identity secret"
      >
        <div className="form-stack">
          <p className="notice" role="status">
            Copy it now to your server’s configuration: it is shown only once. Never put it in a web page.
          </p>
          <TextField
            label="Identity secret"
            value={secret ?? ''}
            readOnly
            className="input mono"
            onFocus={(e) => e.target.select()}
          />
          <div className="dialog-actions">
            <CopyButton text={secret ?? ''} label="Copy secret" />
            <Button variant="primary" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
