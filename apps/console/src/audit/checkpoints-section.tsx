import type { AuditCheckpoint, AuditCheckpointPage } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, PenLine } from 'lucide-react';
import { useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { auditCheckpointsQuery, queryKeys } from '../api/queries';
import { Button } from '../ui/button';
import { CopyButton } from '../ui/copy-button';
import { useToasts } from '../ui/toasts';
import { formatTime } from './describe-entry';

/**
 * Signed checkpoints (admins): the chain's head signed with a key kept outside the database, every
 * hour and on demand. Downloading them and keeping the file lets the business prove later, with
 * `confidant audit verify --checkpoints FILE`, that nobody rewrote the log up to what was signed.
 */
const VERIFY_COMMAND = 'confidant audit verify --checkpoints audit-checkpoints.json';

export function CheckpointsSection({ orgId }: { orgId: string }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const checkpoints = useQuery(auditCheckpointsQuery(orgId));
  const [signing, setSigning] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const signNow = async () => {
    setSigning(true);
    try {
      const signed = await request<AuditCheckpoint>('/v1/audit/checkpoints', { method: 'POST', orgId });
      await queryClient.invalidateQueries({ queryKey: queryKeys.auditCheckpoints(orgId) });
      toasts.show({ tone: 'info', title: `Checkpoint signed at entry ${signed.seq}` });
    } catch (failure) {
      toasts.showError('Could not sign a checkpoint', failure);
    } finally {
      setSigning(false);
    }
  };

  const download = async () => {
    setDownloading(true);
    try {
      const all = await request<AuditCheckpointPage>('/v1/audit/checkpoints?limit=1000', { orgId });
      const url = URL.createObjectURL(
        new Blob([`${JSON.stringify(all, null, 2)}\n`], { type: 'application/json' }),
      );
      try {
        const link = document.createElement('a');
        link.href = url;
        link.download = 'audit-checkpoints.json';
        document.body.append(link);
        link.click();
        link.remove();
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    } catch (failure) {
      toasts.showError('Could not download the checkpoints', failure);
    } finally {
      setDownloading(false);
    }
  };

  const list = checkpoints.data?.checkpoints ?? [];
  return (
    <section className="card audit-checkpoints" aria-labelledby={headingId}>
      <div className="audit-checkpoints-header">
        <div>
          <h2 id={headingId} className="section-title">
            Signed checkpoints
          </h2>
          <p className="muted">
            Every hour the newest entry is signed with a key kept outside the database. Keep a copy of the
            checkpoints: it proves later that nobody rewrote the log up to what was signed.
          </p>
        </div>
        <div className="audit-checkpoints-actions">
          <Button onClick={signNow} disabled={signing}>
            <PenLine aria-hidden="true" />
            {signing ? 'Signing…' : 'Sign now'}
          </Button>
          <Button onClick={download} disabled={downloading || list.length === 0}>
            <Download aria-hidden="true" />
            {downloading ? 'Preparing…' : 'Download checkpoints'}
          </Button>
        </div>
      </div>
      {checkpoints.isPending ? (
        <p className="muted">Loading checkpoints…</p>
      ) : checkpoints.isError ? (
        <p className="field-error" role="alert">
          Could not load the checkpoints: {describeError(checkpoints.error)}
        </p>
      ) : list.length === 0 ? (
        <p className="muted">
          No checkpoint yet. The first is signed within the hour, or now with “Sign now”.
        </p>
      ) : (
        <table className="table audit-checkpoints-table">
          <caption className="visually-hidden">Newest signed checkpoints</caption>
          <thead>
            <tr>
              <th scope="col">Signed</th>
              <th scope="col">Up to entry</th>
              <th scope="col">Key</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.seq}>
                <td className="nowrap">
                  <time dateTime={c.signedAt}>{formatTime(c.signedAt)}</time>
                </td>
                <td>#{c.seq}</td>
                <td className="mono muted">{c.keyId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="audit-checkpoints-verify muted">
        To check the log against a saved file, run on the server{' '}
        <code className="mono">{VERIFY_COMMAND}</code>{' '}
        <CopyButton text={VERIFY_COMMAND} label="Copy command" />
      </p>
    </section>
  );
}
