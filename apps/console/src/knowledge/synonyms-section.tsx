import type { SynonymGroup } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import { describeFailure } from './describe-failure';
import { knowledgeKeys, synonymsQuery } from './knowledge-queries';

/** Terms typed as one comma-separated line ("refund, money back, reimbursement"). */
const termsOf = (line: string) =>
  line
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Synonym groups (admins and owners): every term of a group also finds the others in search,
 * from the next question on.
 */
export function SynonymsSection({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const groups = useQuery(synonymsQuery(orgId));
  const [line, setLine] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<SynonymGroup | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.synonyms(orgId) });

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const terms = termsOf(line);
    if (terms.length < 2) {
      setError('List at least two terms, separated by commas.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await request('/v1/knowledge/synonyms', { method: 'POST', orgId, body: { terms } });
      setLine('');
      await refresh();
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="knowledge-section" aria-labelledby="synonyms-title">
      <div>
        <h2 id="synonyms-title" className="section-title">
          Synonyms
        </h2>
        <p className="muted">
          Words your visitors use for the same thing. Each term of a group also finds the others.
        </p>
      </div>
      <form className="synonym-form" onSubmit={add} noValidate>
        <TextField
          label="Terms"
          hint="Separate terms with commas, e.g. refund, money back, reimbursement"
          value={line}
          error={error ?? undefined}
          onChange={(e) => setLine(e.target.value)}
        />
        <Button type="submit" variant="secondary" disabled={busy || !line.trim()}>
          <Plus aria-hidden="true" />
          Add synonyms
        </Button>
      </form>
      {groups.isPending ? (
        <div aria-busy="true">
          <Skeleton height="2rem" />
        </div>
      ) : groups.isError ? (
        <p className="form-error" role="alert">
          {describeError(groups.error)}
        </p>
      ) : groups.data.length === 0 ? (
        <p className="muted">No synonyms yet.</p>
      ) : (
        <ul className="synonym-list">
          {groups.data.map((group) => (
            <li key={group.id} className="synonym-group">
              <span className="synonym-terms">
                {group.terms.map((term) => (
                  <span key={term} className="synonym-term">
                    {term}
                  </span>
                ))}
              </span>
              <Button
                size="sm"
                variant="ghost"
                iconOnly
                aria-label={`Delete synonyms ${group.terms.join(', ')}`}
                onClick={() => setDeleting(group)}
              >
                <X />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete this synonym group?"
        description={`Search stops treating ${deleting?.terms.join(', ') ?? ''} as the same thing.`}
        confirmLabel="Delete synonyms"
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await request(`/v1/knowledge/synonyms/${deleting.id}`, { method: 'DELETE', orgId });
            await refresh();
          } catch (failure) {
            toasts.showError('Could not delete the synonyms', failure);
          }
        }}
      />
    </section>
  );
}
