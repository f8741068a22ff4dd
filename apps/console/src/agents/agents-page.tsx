import type { Agent } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useRouteContext } from '@tanstack/react-router';
import { Bot, ChevronRight, Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { agentsQuery, queryKeys } from '../api/queries';
import { formatAge } from '../inbox/views';
import { canAdminister } from '../shell/roles';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import './agents.css';

/** The org's agents (assistants a site embeds); admins create them, everyone can look. */
export function AgentsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const agents = useQuery(agentsQuery(orgId));
  const admin = canAdminister(membership.role);
  const [creating, setCreating] = useState(false);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Agents</h1>
          <p className="page-lead">Each agent is an assistant you embed on a website with one script tag.</p>
        </div>
        {admin && (agents.data?.length ?? 0) > 0 && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            <Plus aria-hidden="true" />
            New agent
          </Button>
        )}
      </header>
      {agents.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="4rem" />
          <Skeleton height="4rem" />
        </div>
      ) : agents.isError ? (
        <p className="form-error" role="alert">
          {describeError(agents.error)}
        </p>
      ) : agents.data.length > 0 ? (
        <ul className="agent-list">
          {agents.data.map((agent) => (
            <li key={agent.id}>
              <Link
                to="/o/$orgId/agents/$agentId"
                params={{ orgId, agentId: agent.id }}
                className="agent-card"
              >
                <span className="agent-card-icon" aria-hidden="true">
                  <Bot />
                </span>
                <span className="agent-card-text">
                  <span className="agent-card-name">{agent.name}</span>
                  <span className="agent-card-meta">
                    {agent.allowedOrigins.length === 0
                      ? 'No sites allowed yet'
                      : agent.allowedOrigins.includes('*')
                        ? 'Any site'
                        : agent.allowedOrigins.join(', ')}{' '}
                    · updated {formatAge(agent.updatedAt)}
                  </span>
                </span>
                {!agent.storeTranscripts && <Badge tone="info">Transcripts not stored</Badge>}
                <Badge>{agent.answerMode === 'model' ? 'Model answers' : 'Extractive'}</Badge>
                <ChevronRight aria-hidden="true" className="agent-card-chevron" />
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState icon={<Bot />} title="Create your first agent">
          <p>
            {admin
              ? 'An agent answers your visitors from your knowledge and hands off to a person when needed.'
              : 'An admin of this organization can create one.'}
          </p>
          {admin && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden="true" />
              New agent
            </Button>
          )}
        </EmptyState>
      )}
      <NewAgentDialog orgId={orgId} open={creating} onOpenChange={setCreating} />
    </div>
  );
}

function NewAgentDialog({
  orgId,
  open,
  onOpenChange,
}: {
  orgId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = (next: boolean) => {
    if (!next) {
      setName('');
      setError(null);
    }
    onOpenChange(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const agent = await request<Agent>('/v1/agents', {
        method: 'POST',
        orgId,
        body: { name: name.trim() },
      });
      queryClient.setQueryData(queryKeys.agent(orgId, agent.id), agent);
      await queryClient.invalidateQueries({ queryKey: queryKeys.agents(orgId), exact: true });
      close(false);
      await navigate({ to: '/o/$orgId/agents/$agentId', params: { orgId, agentId: agent.id } });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onOpenChange={close} title="New agent">
      <form className="form-stack" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          required
          maxLength={100}
          autoComplete="off"
          hint="Visitors see it at the top of the chat, e.g. “Acme Help”."
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error ?? undefined}
        />
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
            Create agent
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
