import type { CapturedData } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { request } from '../api/client';
import './captured-data.css';

/**
 * What the visitor gave in flow forms (GET /v1/conversations/{id}/captured-data): each value with
 * its purpose, and every consent answer — granted, declined, or refused by Global Privacy
 * Control — with its time, method and withdrawal. Reading it is audited on the server.
 */
const outcomeLabel = { granted: 'Consented', declined: 'Declined', refused: 'Refused (GPC)' } as const;
const methodLabel = {
  checkbox: 'checkbox',
  identify: 'identify call',
  gpc: 'Global Privacy Control',
} as const;

export function CapturedDataCard({ orgId, conversationId }: { orgId: string; conversationId: string }) {
  const data = useQuery({
    queryKey: [orgId, 'conversations', conversationId, 'captured-data'] as const,
    queryFn: ({ signal }) =>
      request<CapturedData>(`/v1/conversations/${conversationId}/captured-data`, { orgId, signal }),
  });
  const when = (iso: string) => new Date(iso).toLocaleString();
  return (
    <section className="visitor-section" aria-labelledby="visitor-captured-heading">
      <h3 id="visitor-captured-heading" className="visitor-section-title">
        Captured data
      </h3>
      {data.isPending ? (
        <p className="visitor-note">Loading…</p>
      ) : data.isError ? (
        <p className="visitor-note">Captured data could not be loaded.</p>
      ) : data.data.consents.length === 0 ? (
        <p className="visitor-note">Nothing: no form was answered in this conversation.</p>
      ) : (
        <>
          {data.data.values.length > 0 && (
            <dl className="visitor-facts" aria-label="Values given with consent">
              {data.data.values.map((v) => (
                <div className="visitor-fact" key={v.id}>
                  <dt>{v.label}</dt>
                  <dd>
                    {v.value}
                    <span className="visitor-note"> — to {v.purpose}</span>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <ul className="visitor-consents" aria-label="Consent records">
            {data.data.consents.map((c) => (
              <li key={c.id} className="visitor-note">
                <strong>{outcomeLabel[c.outcome]}</strong>: {c.purpose} · {when(c.recordedAt)} by{' '}
                {methodLabel[c.method]}
                {c.withdrawnAt ? ` · withdrawn ${when(c.withdrawnAt)}` : ''}
                <span className="visitor-unknown">
                  {' '}
                  · notice v{c.noticeVersion} {c.noticeHash.slice(0, 8)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
