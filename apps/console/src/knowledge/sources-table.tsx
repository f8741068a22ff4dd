import type { KnowledgeSource } from '@confidant/contract';
import { FileText, Globe, MessageSquareText, RefreshCw, Trash2, Type } from 'lucide-react';
import type { ReactNode } from 'react';
import { formatAge } from '../inbox/views';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import {
  countsLabel,
  formatBytes,
  formatDateTime,
  originOf,
  statusLabel,
  typeLabel,
} from './describe-source';
import { isIndexing } from './knowledge-queries';
import { SourceProgress } from './source-progress';

const typeIcon: Record<KnowledgeSource['type'], ReactNode> = {
  file: <FileText />,
  url: <Globe />,
  qa: <MessageSquareText />,
  text: <Type />,
};

/**
 * The sources as a table: what each is, its status (a live progress bar while indexing, the
 * reason in words when it failed), how much it holds, and when it was (and will be) indexed.
 * Re-index and delete only for admins and owners (`manage`).
 */
export function SourcesTable({
  sources,
  manage,
  onReindex,
  onDelete,
}: {
  sources: KnowledgeSource[];
  manage: boolean;
  onReindex: (source: KnowledgeSource) => void;
  onDelete: (source: KnowledgeSource) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="table sources-table">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Indexed</th>
            {manage && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => (
            <SourceRow
              key={source.id}
              source={source}
              manage={manage}
              onReindex={onReindex}
              onDelete={onDelete}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SourceRow({
  source,
  manage,
  onReindex,
  onDelete,
}: {
  source: KnowledgeSource;
  manage: boolean;
  onReindex: (source: KnowledgeSource) => void;
  onDelete: (source: KnowledgeSource) => void;
}) {
  const status = statusLabel[source.status];
  const indexing = isIndexing(source);
  const origin = originOf(source);
  const counts = countsLabel(source);
  return (
    <tr>
      <td className="source-cell">
        <div className="source-name">
          <span className="source-icon" aria-hidden="true">
            {typeIcon[source.type]}
          </span>
          <div className="source-text">
            <span className="source-title">{source.title}</span>
            <span className="source-meta">
              {typeLabel[source.type]}
              {origin && origin !== source.title ? ` · ${origin}` : ''}
            </span>
          </div>
        </div>
        {source.status === 'failed' && source.error && <p className="source-error">{source.error}</p>}
      </td>
      <td className="source-status">
        <Badge tone={status.tone}>{status.label}</Badge>
        {indexing && <SourceProgress source={source} />}
        {counts && <span className="source-counts">{counts}</span>}
      </td>
      <td className="nowrap">{formatBytes(source.byteSize)}</td>
      <td className="source-dates">
        {source.lastIndexedAt ? (
          <time dateTime={source.lastIndexedAt} title={formatDateTime(source.lastIndexedAt)}>
            {formatAge(source.lastIndexedAt)}
          </time>
        ) : (
          <span className="muted">Not yet</span>
        )}
        {source.nextRefreshAt && (
          <span className="source-meta">
            Next refresh{' '}
            <time dateTime={source.nextRefreshAt} title={formatDateTime(source.nextRefreshAt)}>
              {formatDateTime(source.nextRefreshAt)}
            </time>
          </span>
        )}
      </td>
      {manage && (
        <td className="table-actions nowrap">
          <Button
            size="sm"
            variant="ghost"
            iconOnly
            aria-label={`Re-index ${source.title}`}
            title={indexing ? 'Being indexed now' : 'Re-index'}
            disabled={indexing}
            onClick={() => onReindex(source)}
          >
            <RefreshCw />
          </Button>
          <Button
            size="sm"
            variant="ghost"
            iconOnly
            aria-label={`Delete ${source.title}`}
            title="Delete"
            onClick={() => onDelete(source)}
          >
            <Trash2 />
          </Button>
        </td>
      )}
    </tr>
  );
}
