import { words } from './text.js';

/**
 * Recognises a visitor asking for a person ("can I talk to a human?", "agent please",
 * "connect me with a representative"). Deliberately conservative: it needs a word for a person
 * AND either a verb of reaching someone or a message so short it can only be that request, so a
 * question that merely mentions "agent" ("what does the agent field mean?") is not a request.
 */
const PERSON = new Set([
  'human',
  'humans',
  'person',
  'agent',
  'representative',
  'rep',
  'operator',
  'someone',
  'somebody',
  'staff',
  'employee',
  'advisor',
  'adviser',
]);
const REACH = new Set([
  'talk',
  'speak',
  'chat',
  'connect',
  'transfer',
  'escalate',
  'reach',
  'contact',
  'call',
  'get',
  'want',
  'need',
]);
const NEGATION = /\b(?:don'?t|do not|no need|never|without)\b/i;

export function isHandoffRequest(text: string): boolean {
  const ws = words(text);
  if (ws.length === 0 || ws.length > 16) return false;
  if (NEGATION.test(text)) return false;
  const person =
    ws.some((w) => PERSON.has(w)) || /\b(?:real|live|actual) (?:person|human|agent)\b/i.test(text);
  if (!person) return false;
  if (ws.length <= 3) return true;
  return ws.some((w) => REACH.has(w));
}
