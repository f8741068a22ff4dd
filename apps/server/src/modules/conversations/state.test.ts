import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { nextOwnership, type TransitionAction, whoAnswers } from './state.js';

/** The ownership rules as a table: from each status, what each action does. */
const olga = '00000000-0000-4000-8000-00000000000a';
const ben = '00000000-0000-4000-8000-00000000000b';

const cases: [
  string,
  { status: 'ai' | 'waiting' | 'human' | 'closed'; assigneeId: string | null },
  TransitionAction,
  string,
][] = [
  [
    'handoff from ai waits for a person',
    { status: 'ai', assigneeId: null },
    { type: 'handoff', reason: 'requested' },
    'waiting/-',
  ],
  [
    'a second handoff changes nothing',
    { status: 'waiting', assigneeId: null },
    { type: 'handoff', reason: 'low_confidence' },
    'no change',
  ],
  [
    'a handoff never takes a conversation from a person',
    { status: 'human', assigneeId: olga },
    { type: 'handoff', reason: 'requested' },
    'no change',
  ],
  [
    'claiming a waiting conversation',
    { status: 'waiting', assigneeId: null },
    { type: 'claim', userId: olga },
    `human/${olga}`,
  ],
  [
    'claiming straight from ai',
    { status: 'ai', assigneeId: null },
    { type: 'claim', userId: olga },
    `human/${olga}`,
  ],
  [
    'claiming one’s own again changes nothing',
    { status: 'human', assigneeId: olga },
    { type: 'claim', userId: olga },
    'no change',
  ],
  [
    'claiming someone else’s is a conflict',
    { status: 'human', assigneeId: olga },
    { type: 'claim', userId: ben },
    'conflict',
  ],
  [
    'claiming a closed one is a conflict',
    { status: 'closed', assigneeId: null },
    { type: 'claim', userId: olga },
    'conflict',
  ],
  [
    'assigning reassigns',
    { status: 'human', assigneeId: olga },
    { type: 'assign', userId: ben },
    `human/${ben}`,
  ],
  [
    'unassigning puts it back in the queue, not to the bot',
    { status: 'human', assigneeId: olga },
    { type: 'unassign' },
    'waiting/-',
  ],
  ['handing back to the AI', { status: 'human', assigneeId: olga }, { type: 'handback' }, 'ai/-'],
  [
    'handing back a waiting conversation',
    { status: 'waiting', assigneeId: null },
    { type: 'handback' },
    'ai/-',
  ],
  ['closing from any state', { status: 'human', assigneeId: olga }, { type: 'close' }, `closed/${olga}`],
  ['closing twice changes nothing', { status: 'closed', assigneeId: null }, { type: 'close' }, 'no change'],
  ['reopening starts over with the AI', { status: 'closed', assigneeId: olga }, { type: 'reopen' }, 'ai/-'],
  [
    'reopening an open one changes nothing',
    { status: 'ai', assigneeId: null },
    { type: 'reopen' },
    'no change',
  ],
];

describe('conversation ownership rules', () => {
  it.each(cases)('%s', (_, from, action, expected) => {
    let outcome: string;
    try {
      const step = nextOwnership(from, action);
      outcome = step ? `${step.next.status}/${step.next.assigneeId ?? '-'}` : 'no change';
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      outcome = (error as AppError).code;
    }
    expect(outcome).toBe(expected);
  });

  it('the agent answers in ai and waiting, never while a person owns the conversation', () => {
    expect(whoAnswers('ai')).toBe('agent');
    expect(whoAnswers('waiting')).toBe('agent');
    expect(whoAnswers('human')).toBe('operator');
  });
});
