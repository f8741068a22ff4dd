import type { PlaygroundAnswer, PlaygroundPassage } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { Sparkles } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { request } from '../api/client';
import { agentsQuery } from '../api/queries';
import { CitedText, SourceList, useCitationNumbering } from '../inbox/cited-text';
import { Badge, type BadgeTone } from '../ui/badge';
import { Button } from '../ui/button';
import { TextareaField } from '../ui/textarea-field';
import { describeFailure } from './describe-failure';

/** No agent chosen: the defaults of a new agent, over all sources. */
const DEFAULTS = '';

const modeLabel: Record<PlaygroundAnswer['mode'], { label: string; tone: BadgeTone }> = {
  extractive: { label: 'Quoted from your knowledge', tone: 'success' },
  model: { label: 'Written by the model', tone: 'accent' },
  handoff: { label: 'No answer found', tone: 'warning' },
};

/**
 * "Test a question": asks the server for the answer the widget would give (POST
 * /v1/knowledge/playground, the same answer path, nothing stored) and shows it with its
 * citations and the retrieval scores of every passage considered.
 */
export function Playground({ orgId }: { orgId: string }) {
  const agents = useQuery(agentsQuery(orgId));
  const agentFieldId = useId();
  const [question, setQuestion] = useState('');
  const [agentId, setAgentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ question: string; answer: PlaygroundAnswer } | null>(null);
  // The first agent until the person picks another (or the defaults).
  const chosen = agentId ?? agents.data?.[0]?.id ?? DEFAULTS;

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    const asked = question.trim();
    if (!asked) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await request<PlaygroundAnswer>('/v1/knowledge/playground', {
        method: 'POST',
        orgId,
        body: { question: asked, ...(chosen ? { agentId: chosen } : {}) },
      });
      setResult({ question: asked, answer });
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="knowledge-section" aria-labelledby="playground-title">
      <div>
        <h2 id="playground-title" className="section-title">
          Test a question
        </h2>
        <p className="muted">
          See the answer a visitor would get, which sources it cites and how each passage scored. Nothing is
          saved.
        </p>
      </div>
      <form className="playground-form" onSubmit={ask} noValidate>
        <TextareaField
          label="Question"
          rows={2}
          maxLength={4000}
          placeholder="How long does delivery take?"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="playground-controls">
          <div className="field">
            <label className="field-label" htmlFor={agentFieldId}>
              Agent
            </label>
            <select
              id={agentFieldId}
              className="select"
              value={chosen}
              onChange={(e) => setAgentId(e.target.value)}
            >
              {(agents.data ?? []).map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
              <option value={DEFAULTS}>New agent defaults (all sources)</option>
            </select>
          </div>
          <Button type="submit" variant="primary" disabled={busy || !question.trim()}>
            <Sparkles aria-hidden="true" />
            {busy ? 'Asking…' : 'Ask'}
          </Button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div aria-live="polite" className="visually-hidden">
        {busy ? 'Asking…' : result ? 'Answer ready' : ''}
      </div>
      {result && <PlaygroundResult question={result.question} answer={result.answer} />}
    </section>
  );
}

function PlaygroundResult({ question, answer }: { question: string; answer: PlaygroundAnswer }) {
  const mode = modeLabel[answer.mode];
  const numbering = useCitationNumbering(answer.text, answer.citations);
  return (
    <article className="playground-result" aria-label="Answer">
      <p className="playground-question">
        <span className="visually-hidden">Question: </span>
        {question}
      </p>
      <div className="playground-answer">
        <CitedText className="playground-answer-text" text={answer.text} numbering={numbering} />
        <div className="playground-badges">
          <Badge tone={mode.tone}>{mode.label}</Badge>
          {answer.handoff ? (
            <Badge tone="info">
              {answer.handoff === 'requested' ? 'Hands off: visitor asked for a person' : 'Offers a person'}
            </Badge>
          ) : (
            <Badge>No handoff</Badge>
          )}
          <Badge>
            {answer.answerMode === 'model' ? 'Agent answers with a model' : 'Agent quotes (no model)'}
          </Badge>
        </div>
        {numbering.sources.length > 0 && (
          <div className="playground-citations">
            <h3 className="playground-subtitle">Cited</h3>
            <SourceList className="source-list" sources={numbering.sources} />
          </div>
        )}
      </div>
      <Passages passages={answer.passages} confident={answer.confident} />
    </article>
  );
}

function Passages({ passages, confident }: { passages: PlaygroundPassage[]; confident: boolean }) {
  if (passages.length === 0)
    return (
      <p className="muted">No passage was considered: nothing in your knowledge shares a word with it.</p>
    );
  return (
    <div className="playground-passages">
      <h3 className="playground-subtitle">
        Passages considered{' '}
        <span className="muted">
          ({confident ? 'confident enough to answer' : 'not confident enough to quote'})
        </span>
      </h3>
      <div className="table-scroll">
        <table className="table passages-table">
          <thead>
            <tr>
              <th scope="col">Passage</th>
              <th scope="col">Score</th>
              <th scope="col">Coverage</th>
              <th scope="col">Cited</th>
            </tr>
          </thead>
          <tbody>
            {passages.map((p) => (
              <tr key={p.chunkId}>
                <td>
                  <span className="passage-title">{p.title}</span>
                  {sectionOf(p) && <span className="passage-heading">{sectionOf(p)}</span>}
                  <span className="passage-snippet">{p.snippet}</span>
                </td>
                <td className="nowrap">
                  <ScoreBar value={p.score} />
                </td>
                <td className="nowrap">
                  <span title={p.informative ? undefined : 'Shares only common words with the question'}>
                    {Math.round(p.coverage * 100)}%{p.informative ? '' : ' (weak)'}
                  </span>
                </td>
                <td>{p.cited ? <Badge tone="success">Cited</Badge> : <span className="muted">No</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The passage's heading path without the document title it starts with (shown just above). */
function sectionOf(p: PlaygroundPassage): string {
  const prefix = `${p.title} > `;
  const path = p.headingPath.startsWith(prefix) ? p.headingPath.slice(prefix.length) : p.headingPath;
  return path === p.title ? '' : path;
}

/** A score in [0, 1] as a number, with a small bar for the eye (the number is what is read out). */
function ScoreBar({ value }: { value: number }) {
  return (
    <span className="score">
      <span className="score-value">{value.toFixed(2)}</span>
      <span className="score-track" aria-hidden="true">
        <span className="score-fill" style={{ width: `${Math.round(value * 100)}%` }} />
      </span>
    </span>
  );
}
