import type { KnowledgeSource } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { BookOpen, Globe, MessageSquarePlus, Type } from 'lucide-react';
import { useState } from 'react';
import { ApiError, describeError } from '../api/api-error';
import { request } from '../api/client';
import { canAdminister, roleAtLeast } from '../shell/roles';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { AddQaDialog } from './add-qa-dialog';
import { AddTextDialog } from './add-text-dialog';
import { AddWebsiteDialog } from './add-website-dialog';
import { isIndexing, knowledgeKeys, sourcesQuery } from './knowledge-queries';
import { Playground } from './playground';
import { SourcesTable } from './sources-table';
import { SynonymsSection } from './synonyms-section';
import { UploadZone } from './upload-zone';
import './knowledge.css';

type Adding = 'website' | 'qa' | 'text' | null;

/**
 * What the assistant answers from. Everyone reads the sources; admins and owners add, re-index
 * and delete them and edit synonyms (the API's roles); operators and up test questions.
 */
export function KnowledgePage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const manage = canAdminister(membership.role);
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const sources = useQuery(sourcesQuery(orgId));
  const [adding, setAdding] = useState<Adding>(null);
  const [deleting, setDeleting] = useState<KnowledgeSource | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.sources(orgId) });
  /**
   * A new source joins the table at once, queued with its progress bar, without waiting for the
   * next read of the list (which then takes over and polls while it indexes).
   */
  const showNew = (source: KnowledgeSource) => {
    queryClient.setQueryData<{ sources: KnowledgeSource[] }>(knowledgeKeys.sources(orgId), (old) =>
      old ? { sources: [source, ...old.sources.filter((s) => s.id !== source.id)] } : old,
    );
    void refresh();
  };
  const added = (title: string) => {
    toasts.show({ tone: 'info', title: `Added “${title}”`, detail: 'It is being indexed now.' });
    void refresh();
  };

  const reindex = async (source: KnowledgeSource) => {
    try {
      await request(`/v1/knowledge/sources/${source.id}/reindex`, { method: 'POST', orgId });
      toasts.show({ tone: 'info', title: `Re-indexing “${source.title}”` });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409)
        toasts.show({
          tone: 'info',
          title: `“${source.title}” is already being indexed`,
          detail: describeError(error),
        });
      else toasts.showError(`Could not re-index “${source.title}”`, error);
    }
    await refresh();
  };

  const indexingCount = sources.data?.filter(isIndexing).length ?? 0;

  return (
    <div className="page knowledge-page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Knowledge</h1>
          <p className="page-lead">Your assistant answers only from what you add here.</p>
        </div>
        {manage && (
          <div className="header-actions">
            <Button onClick={() => setAdding('website')}>
              <Globe aria-hidden="true" />
              Add website
            </Button>
            <Button onClick={() => setAdding('qa')}>
              <MessageSquarePlus aria-hidden="true" />
              Add Q&amp;A
            </Button>
            <Button onClick={() => setAdding('text')}>
              <Type aria-hidden="true" />
              Add text
            </Button>
          </div>
        )}
      </header>

      {manage && <UploadZone orgId={orgId} onUploaded={showNew} />}

      <section className="knowledge-section" aria-labelledby="sources-title">
        <div className="section-head">
          <h2 id="sources-title" className="section-title">
            Sources
          </h2>
          <span className="muted" aria-live="polite">
            {indexingCount > 0 ? `Indexing ${indexingCount} of ${sources.data?.length ?? 0}…` : ''}
          </span>
        </div>
        {sources.isPending ? (
          <div className="form-stack" aria-busy="true">
            <Skeleton height="3.5rem" />
            <Skeleton height="3.5rem" />
            <Skeleton height="3.5rem" />
          </div>
        ) : sources.isError ? (
          <p className="form-error" role="alert">
            {describeError(sources.error)}
          </p>
        ) : sources.data.length > 0 ? (
          <SourcesTable sources={sources.data} manage={manage} onReindex={reindex} onDelete={setDeleting} />
        ) : (
          <EmptyState icon={<BookOpen />} title="No knowledge yet">
            <p>
              {manage
                ? 'Drop your help articles, FAQs or product guides above, add your website, or write a Q&A entry. The assistant can answer as soon as a source is ready.'
                : 'An admin or owner adds help articles, websites and Q&A entries here; the assistant answers from them.'}
            </p>
          </EmptyState>
        )}
      </section>

      {roleAtLeast(membership.role, 'agent') && <Playground orgId={orgId} />}
      {manage && <SynonymsSection orgId={orgId} />}

      <AddWebsiteDialog
        orgId={orgId}
        open={adding === 'website'}
        onOpenChange={(o) => setAdding(o ? 'website' : null)}
        onAdded={added}
      />
      <AddQaDialog
        orgId={orgId}
        open={adding === 'qa'}
        onOpenChange={(o) => setAdding(o ? 'qa' : null)}
        onAdded={added}
      />
      <AddTextDialog
        orgId={orgId}
        open={adding === 'text'}
        onOpenChange={(o) => setAdding(o ? 'text' : null)}
        onAdded={added}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete “${deleting?.title ?? ''}”?`}
        description="The assistant stops answering from it at once, and its passages are removed. This cannot be undone."
        confirmLabel="Delete source"
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await request(`/v1/knowledge/sources/${deleting.id}`, { method: 'DELETE', orgId });
            toasts.show({ tone: 'info', title: `Deleted “${deleting.title}”` });
            await refresh();
          } catch (error) {
            toasts.showError(`Could not delete “${deleting.title}”`, error);
          }
        }}
      />
    </div>
  );
}
