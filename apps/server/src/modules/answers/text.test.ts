import { describe, expect, it } from 'vitest';
import { isHandoffRequest } from './handoff-request.js';
import { asksForSteps, isFrameTerm } from './question-frame.js';
import { joinSentences, splitSentences } from './text.js';

describe('answer text tools', () => {
  it('splits Markdown into sentences and keeps numbered steps numbered', () => {
    const sentences = splitSentences(
      '## Returns\nYou can return it. Refunds take **5 days**!\n\n1. Open [Orders](/orders).\n2. Click `Return`.',
    );
    expect(sentences.map((s) => s.text)).toEqual([
      'You can return it.',
      'Refunds take 5 days!',
      'Open Orders.',
      'Click Return.',
    ]);
    expect(joinSentences(sentences)).toBe(
      'You can return it. Refunds take 5 days!\n1. Open Orders.\n2. Click Return.',
    );
  });

  it('keeps a list item hard-wrapped onto a second line whole, never cut mid-sentence', () => {
    const sentences = splitSentences(
      'Steps:\n\n1. Pack the item and print the label from your account, so that\n   the parcel is tracked.\n2. Drop it off.\n\nThat is all.',
    );
    expect(sentences.map((s) => s.text)).toEqual([
      'Steps:',
      'Pack the item and print the label from your account, so that the parcel is tracked.',
      'Drop it off.',
      'That is all.',
    ]);
    expect(sentences.map((s) => s.listItem)).toEqual([false, true, true, false]);
  });

  it('tells a question asking for the steps, in English, French and German', () => {
    for (const q of [
      'How do I return an item?',
      'how to reset my password',
      'comment faire un retour',
      'Wie kann ich zurückschicken?',
    ]) {
      expect(asksForSteps(q), q).toBe(true);
    }
    for (const q of [
      'how many days do I have to return',
      'how long is the warranty',
      'combien de temps',
      'wie lange dauert es',
    ]) {
      expect(asksForSteps(q), q).toBe(false);
    }
  });

  it('tells question-framing words from subject words by their stems', () => {
    expect(isFrameTerm({ lexemes: ['long'] })).toBe(true);
    expect(isFrameTerm({ lexemes: ['get'] })).toBe(true);
    expect(isFrameTerm({ lexemes: ['refund'] })).toBe(false);
  });

  it('recognises a request for a person, and only that', () => {
    for (const text of [
      'Can I talk to a human?',
      'human please',
      'I want to speak with a real person',
      'connect me to an agent',
      'Representative!',
      'Is there someone I can call?',
    ]) {
      expect(isHandoffRequest(text), text).toBe(true);
    }
    for (const text of [
      'How do I reset my password?',
      'What does the agent field in the settings mean when I configure a new lamp schedule?',
      "I don't want to talk to a person, just tell me the shipping cost",
      'Who is the person in your ad?',
    ]) {
      expect(isHandoffRequest(text), text).toBe(false);
    }
  });
});
