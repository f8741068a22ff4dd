/**
 * Questions in one transcript line.
 *
 * Punctuated transcripts: each sentence that ends in '?' is one question ("Is that right? And
 * when?" = 2). Transcripts with no sentence punctuation at all (the caller says so:
 * `punctuated` false) fall back to a conservative guess: the line counts as at most ONE
 * question when it starts with an interrogative word or an auxiliary-plus-pronoun opener
 * ("what…", "could you…", "do you…"). Questions in the middle of an unpunctuated line are
 * missed on purpose: over-counting would reward rambling.
 */
export function countQuestions(text: string, punctuated: boolean): number {
  if (punctuated) return text.match(/[^.?!]*[\p{L}\p{N}][^.?!]*\?+/gu)?.length ?? 0;
  return QUESTION_OPENER.test(text.trim().toLowerCase()) ? 1 : 0;
}

const WH = 'what|why|how|when|where|who|whom|whose|which';
const AUX =
  "do|does|did|are|is|was|were|can|could|would|will|should|have|has|had|may|shall|don't|doesn't|didn't|aren't|isn't|can't|won't|wouldn't|couldn't";
const PRONOUN = 'you|we|i|they|he|she|it|there|that|this|your|our';
const QUESTION_OPENER = new RegExp(
  `^(?:(?:so|and|but|okay|ok|right|well)\\s+)?(?:(?:${WH})\\b|(?:${AUX})\\s+(?:${PRONOUN})\\b)`,
  'u',
);
