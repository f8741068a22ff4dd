import type { CallSegment } from '@confidant/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCallMetrics } from './compute-call-metrics.js';
import { countFillers } from './fillers.js';
import { findInterruptions } from './interruptions.js';
import { monologues } from './monologues.js';
import { countQuestions } from './questions.js';
import { talkSecondsBySpeaker } from './talk-time.js';

const seg = (index: number, speaker: string, start: number, end: number, text: string): CallSegment => ({
  index,
  speaker,
  start,
  end,
  text,
});

// A small sales call; every expected value below is computed by hand in the comments.
const call: CallSegment[] = [
  seg(
    0,
    'A',
    0,
    10,
    'Hi, thanks for joining. Um, so I wanted to walk you through the plan, you know, basically the pro tier.',
  ),
  seg(1, 'A', 11, 20, "It's kind of the best fit. What kind of team do you have?"),
  // Starts at 19 while A talks until 20 (more than 0.2 s before A's end): B interrupts.
  seg(2, 'B', 19, 25, 'Uh, we are about twenty people. I like it so far.'),
  seg(3, 'A', 26, 30, "Great. Do you know the price? Like, it's 20 dollars."),
  // B stops mid-sentence at 33 and A takes over 0.2 s later: A cuts B off.
  seg(4, 'B', 30.1, 33, 'I mean it sounds fine but I'),
  seg(5, 'A', 33.2, 36, "Sure, let's set it up."),
];

describe('computeCallMetrics', () => {
  it('computes every metric of a hand-checked call', () => {
    const metrics = computeCallMetrics(call, 'A');
    expect(metrics).toEqual({
      durationSeconds: 36,
      speakers: [
        {
          speaker: 'A',
          role: 'rep',
          // 10 + 9 + 4 + 2.8
          talkSeconds: 25.8,
          // 25.8 / 34.7
          talkShare: 0.7435,
          // segments 0 and 1 merge across the 1 s gap: 0..20
          longestMonologueSeconds: 20,
          // "What kind of team do you have?" and "Do you know the price?"
          questions: 2,
          interruptions: 1,
          // 20 + 13 + 10 + 5 = 48 words in 25.8 s → 111.63
          wordsPerMinute: 111.6,
          fillerWords: 5,
          // "What kind of" and "Do you know the price" are not fillers
          fillerCounts: { basically: 1, 'kind of': 1, like: 1, um: 1, 'you know': 1 },
        },
        {
          speaker: 'B',
          role: 'customer',
          // 6 + 2.9
          talkSeconds: 8.9,
          talkShare: 0.2565,
          longestMonologueSeconds: 6,
          questions: 0,
          interruptions: 1,
          // 11 + 7 = 18 words in 8.9 s → 121.35
          wordsPerMinute: 121.3,
          // "I like it" and "I mean it" are meaning, not filler
          fillerWords: 1,
          fillerCounts: { uh: 1 },
        },
      ],
      longestMonologue: { speaker: 'A', start: 0, end: 20, seconds: 20 },
      questions: 2,
      interruptions: 2,
      // 66 words in 34.7 s
      wordsPerMinute: 114.1,
      fillerWords: 6,
    });
  });

  it('gives every speaker other than the named rep the customer role', () => {
    const metrics = computeCallMetrics(call, 'B');
    expect(metrics.speakers.map((s) => [s.speaker, s.role])).toEqual([
      ['A', 'customer'],
      ['B', 'rep'],
    ]);
  });

  it('is empty and finite without segments', () => {
    expect(computeCallMetrics([], 'A')).toEqual({
      durationSeconds: 0,
      speakers: [],
      longestMonologue: null,
      questions: 0,
      interruptions: 0,
      wordsPerMinute: 0,
      fillerWords: 0,
    });
  });

  it('falls back to question openers when the transcript has no punctuation at all', () => {
    const flat = [
      seg(0, 'A', 0, 3, 'so what are you using today'),
      seg(1, 'B', 3.5, 6, 'we use spreadsheets'),
      seg(2, 'A', 6.5, 9, 'could you show me one'),
      seg(3, 'A', 9.2, 12, 'i think that works well for you'),
    ];
    const metrics = computeCallMetrics(flat, 'A');
    expect(metrics.speakers.find((s) => s.speaker === 'A')!.questions).toBe(2);
    expect(metrics.questions).toBe(2);
  });
});

describe('talk time', () => {
  it('does not count one speaker’s overlapping segments twice', () => {
    const talk = talkSecondsBySpeaker([
      seg(0, 'A', 0, 5, 'x'),
      seg(1, 'A', 3, 8, 'y'),
      seg(2, 'B', 4, 6, 'z'),
    ]);
    expect(Object.fromEntries(talk)).toEqual({ A: 8, B: 2 });
  });

  it('counts a backwards segment as zero', () => {
    expect(Object.fromEntries(talkSecondsBySpeaker([seg(0, 'A', 5, 4, 'x')]))).toEqual({ A: 0 });
  });
});

describe('monologues', () => {
  it('merges gaps up to 1.5 s and ends at another speaker or a longer pause', () => {
    const runs = monologues([
      seg(0, 'A', 0, 4, 'a'),
      seg(1, 'A', 5.5, 9, 'b'), // 1.5 s gap: same monologue
      seg(2, 'A', 10.6, 12, 'c'), // 1.6 s gap: a new one
      seg(3, 'B', 12.5, 13, 'd'),
      seg(4, 'A', 13.2, 14, 'e'),
    ]);
    expect(runs.map((r) => [r.speaker, r.start, r.end])).toEqual([
      ['A', 0, 9],
      ['A', 10.6, 12],
      ['B', 12.5, 13],
      ['A', 13.2, 14],
    ]);
  });
});

describe('interruptions', () => {
  const prev = seg(0, 'A', 0, 10, 'Let me explain how this works.');
  it('counts talking over someone but not a turn change within the tolerance', () => {
    expect(findInterruptions([prev, seg(1, 'B', 9.7, 12, 'Okay.')], true)).toHaveLength(1);
    expect(findInterruptions([prev, seg(1, 'B', 9.85, 12, 'Okay.')], true)).toHaveLength(0);
    expect(findInterruptions([prev, seg(1, 'B', 10.5, 12, 'Okay.')], true)).toHaveLength(0);
  });

  it('counts a quick start after an unfinished sentence only when the transcript is punctuated', () => {
    const cut = seg(0, 'A', 0, 10, 'Let me explain how this');
    expect(findInterruptions([cut, seg(1, 'B', 10.25, 12, 'Sure.')], true)).toHaveLength(1);
    expect(findInterruptions([cut, seg(1, 'B', 10.4, 12, 'Sure.')], true)).toHaveLength(0);
    expect(findInterruptions([cut, seg(1, 'B', 10.25, 12, 'sure')], false)).toHaveLength(0);
  });

  it('counts one interruption per segment and none for simultaneous starts or the same speaker', () => {
    const segments = [
      seg(0, 'A', 0, 10, 'a.'),
      seg(1, 'C', 1, 10, 'c.'),
      seg(2, 'B', 5, 6, 'b.'),
      seg(3, 'A', 7, 8, 'a again.'),
    ];
    // B over A and C (once); A's second segment over C; C starts while A talks.
    expect(findInterruptions(segments, true).map((s) => s.index)).toEqual([1, 2, 3]);
    expect(findInterruptions([seg(0, 'A', 0, 5, 'a.'), seg(1, 'B', 0, 5, 'b.')], true)).toHaveLength(0);
  });
});

describe('questions', () => {
  it('counts sentences ending in a question mark', () => {
    expect(countQuestions('Is that right? And when? Fine.', true)).toBe(2);
    expect(countQuestions('What a day!', true)).toBe(0);
    expect(countQuestions('???', true)).toBe(0);
  });

  it('without punctuation, counts at most one question opener per line', () => {
    expect(countQuestions('how many seats do you need', false)).toBe(1);
    expect(countQuestions('do you have a budget what is it', false)).toBe(1);
    expect(countQuestions('and can you send it over', false)).toBe(1);
    expect(countQuestions('we can do that', false)).toBe(0);
    expect(countQuestions('whatever works for you', false)).toBe(0);
  });
});

describe('filler words', () => {
  const count = (text: string) => Object.fromEntries(countFillers(text));

  it('always counts hesitation sounds and hedge adverbs', () => {
    expect(count('Um, uh, erm… umm. Hmm, ah. Actually it is basically literally done.')).toEqual({
      um: 2,
      uh: 1,
      er: 1,
      hmm: 1,
      ah: 1,
      actually: 1,
      basically: 1,
      literally: 1,
    });
  });

  it('counts "like" only in filler position', () => {
    expect(count('I like it. Would you like a demo? It looks like rain.')).toEqual({});
    expect(count("It's like, really slow, like, 20 minutes.")).toEqual({ like: 2 });
    expect(count('I like, love it')).toEqual({});
  });

  it('counts "you know" and "I mean" only as their own clause', () => {
    expect(count("It's, you know, pricey. I mean, it works. You know")).toEqual({
      'you know': 2,
      'i mean': 1,
    });
    expect(
      count('Do you know the price? Do you know? You know what, I mean it. That is what I mean.'),
    ).toEqual({});
  });

  it('counts "kind of"/"sort of" as hedges, not after a determiner', () => {
    expect(count("It's kind of slow and sort of pricey.")).toEqual({ 'kind of': 1, 'sort of': 1 });
    expect(count('What kind of plan? A sort of bundle. Any kind of help.')).toEqual({});
  });

  it('does not see fillers inside other words', () => {
    expect(count('Her error: umbrella, Ahmed, likely, summary.')).toEqual({});
  });
});

describe('properties', () => {
  const segments = fc
    .array(
      fc.record({
        speaker: fc.constantFrom('A', 'B', 'C'),
        start: fc.integer({ min: 0, max: 600 }).map((n) => n / 4),
        length: fc.integer({ min: 0, max: 60 }).map((n) => n / 4),
        text: fc.constantFrom(
          'Um, hello there.',
          'What do you need?',
          'I like it',
          'you know',
          'Sure, like, fine.',
        ),
      }),
      { maxLength: 25 },
    )
    .map((list) => list.map((s, index) => seg(index, s.speaker, s.start, s.start + s.length, s.text)));

  it('talk shares sum to 1 whenever anyone talked', () => {
    fc.assert(
      fc.property(segments, (list) => {
        const metrics = computeCallMetrics(list, 'A');
        const total = metrics.speakers.reduce((a, s) => a + s.talkSeconds, 0);
        const shares = metrics.speakers.reduce((a, s) => a + s.talkShare, 0);
        if (total > 0) expect(Math.abs(shares - 1)).toBeLessThanOrEqual(0.0002 * metrics.speakers.length);
        else expect(shares).toBe(0);
      }),
    );
  });

  it('metrics do not depend on the order of the segments', () => {
    fc.assert(
      fc.property(
        segments.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        ([list, shuffled]) => {
          expect(computeCallMetrics(shuffled, 'A')).toEqual(computeCallMetrics(list, 'A'));
        },
      ),
    );
  });

  it('no speaker’s longest monologue exceeds the recording, nor its talk share 1', () => {
    fc.assert(
      fc.property(segments, (list) => {
        const metrics = computeCallMetrics(list, 'A');
        for (const s of metrics.speakers) {
          expect(s.longestMonologueSeconds).toBeLessThanOrEqual(metrics.durationSeconds);
          expect(s.talkShare).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
