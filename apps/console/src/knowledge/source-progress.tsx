import type { KnowledgeSource } from '@confidant/contract';
import { countsLabel, progressPercent } from './describe-source';

/**
 * The indexing progress of one source as an accessible progress bar ("Indexing <title>", 0–100).
 * A queued source shows an empty bar that shimmers: it waits for a worker, nothing is counted yet.
 */
export function SourceProgress({ source }: { source: KnowledgeSource }) {
  const percent = progressPercent(source);
  const counts = countsLabel(source);
  const queued = source.status === 'queued';
  return (
    <div className="source-progress">
      <div
        role="progressbar"
        aria-label={`Indexing ${source.title}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={queued ? 'Waiting to start' : `${percent}%${counts ? `, ${counts}` : ''}`}
        className={queued ? 'progress progress-waiting' : 'progress'}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="source-progress-text" aria-hidden="true">
        {queued ? 'Waiting to start' : `${percent}%`}
      </span>
    </div>
  );
}
