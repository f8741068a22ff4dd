import type { WebhookEndpoint } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { formatAge } from '../inbox/views';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { deliveriesKey, deliveriesQuery, retryDelivery } from './webhooks-api';

const tone = { succeeded: 'success', failed: 'danger', pending: 'warning' } as const;

/** The delivery log of one endpoint: status code, duration, attempts, next attempt; retry. */
export function DeliveriesDialog({
  orgId,
  endpoint,
  onOpenChange,
}: {
  orgId: string;
  endpoint: WebhookEndpoint | null;
  onOpenChange: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const deliveries = useQuery({ ...deliveriesQuery(orgId, endpoint?.id ?? ''), enabled: endpoint !== null });
  return (
    <Dialog open={endpoint !== null} onOpenChange={onOpenChange} title="Deliveries" wide>
      {deliveries.isPending ? (
        <Skeleton height="2.5rem" />
      ) : deliveries.data && deliveries.data.length > 0 ? (
        <div className="table-scroll">
          <table className="table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">HTTP</th>
                <th scope="col">Attempts</th>
                <th scope="col">Duration</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <td className="mono">{d.eventType}</td>
                  <td>
                    <Badge tone={tone[d.status]}>{d.status}</Badge>
                  </td>
                  <td>{d.lastStatusCode ?? '—'}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastDurationMs === null ? '—' : `${d.lastDurationMs} ms`}</td>
                  <td>{d.nextAttemptAt ? new Date(d.nextAttemptAt).toLocaleString() : '—'}</td>
                  <td className="mono">{d.lastError ?? '—'}</td>
                  <td className="table-actions">
                    {d.status !== 'pending' && endpoint?.enabled && (
                      <Button
                        size="sm"
                        aria-label={`Retry ${d.eventType} from ${formatAge(d.createdAt)}`}
                        onClick={async () => {
                          try {
                            await retryDelivery(orgId, endpoint.id, d.id);
                            await queryClient.invalidateQueries({
                              queryKey: deliveriesKey(orgId, endpoint.id),
                            });
                          } catch (error) {
                            toasts.showError('Could not retry', error);
                          }
                        }}
                      >
                        Retry
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No deliveries yet. Send a test event to try the endpoint.</p>
      )}
    </Dialog>
  );
}
