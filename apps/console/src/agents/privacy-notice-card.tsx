import type { PrivacyNotice } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { ScrollText } from 'lucide-react';
import { useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { CopyButton } from '../ui/copy-button';
import { Dialog } from '../ui/dialog';
import './privacy-notice-card.css';

/**
 * The agent's privacy-notice snippet (GET /v1/agents/{id}/privacy-notice): paragraphs the
 * business pastes into its own policy, generated from this agent's real retention, providers,
 * ephemeral mode and hand-off. Fetched when the dialog opens, so it reflects the latest save.
 */
export function PrivacyNoticeCard({ orgId, agentId }: { orgId: string; agentId: string }) {
  const headingId = useId();
  const [open, setOpen] = useState(false);
  const notice = useQuery({
    queryKey: [orgId, 'agents', agentId, 'privacy-notice'] as const,
    queryFn: ({ signal }) =>
      request<PrivacyNotice>(`/v1/agents/${agentId}/privacy-notice`, { orgId, signal }),
    enabled: open,
    staleTime: 0,
  });
  return (
    <section className="card snippet-card" aria-labelledby={headingId}>
      <div className="snippet-head">
        <h2 id={headingId} className="section-title">
          Privacy notice
        </h2>
      </div>
      <p className="muted">
        A paragraph for your own privacy policy, written from this agent’s real settings: how long
        conversations are kept, which AI provider answers and where, and visitors’ rights.
      </p>
      <div>
        <Button onClick={() => setOpen(true)}>
          <ScrollText aria-hidden="true" />
          Show privacy notice
        </Button>
      </div>
      <Dialog open={open} onOpenChange={setOpen} title="Privacy notice for your policy" wide>
        {notice.isPending ? (
          <p className="muted" aria-busy="true">
            Generating…
          </p>
        ) : notice.isError ? (
          <p className="form-error" role="alert">
            Could not generate the notice: {describeError(notice.error)}
          </p>
        ) : (
          <div className="form-stack">
            <div className="privacy-notice-text" role="document" aria-label="Notice text">
              {notice.data.paragraphs.map((p) => (
                <p key={p}>{p}</p>
              ))}
            </div>
            <div className="dialog-actions">
              <CopyButton text={notice.data.markdown} label="Copy Markdown" />
              <CopyButton text={notice.data.html} label="Copy HTML" />
              <Button variant="primary" onClick={() => setOpen(false)}>
                Done
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </section>
  );
}
