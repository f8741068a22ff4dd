import type { HitTerm } from '../knowledge/index.js';

/**
 * Words that frame a question rather than name its subject: the rest of an interrogative ("how
 * *long*", "how *many*", "combien de *temps*", "wie *lange*"), light verbs ("can I *get*",
 * "*take*", "*make*") and the context visitors add ("…I *bought* *last* *week*"). The text-search stop word lists keep them, and a knowledge base that never
 * uses them makes them look like the crux of the question ("How long can I get a refund on the X
 * plan?" against "The X plan is refundable within 14 days only"). They weigh a fifth of a content
 * word in the answer gate: still evidence when matched, little loss when not.
 *
 * Stems as the database's Snowball stemmers produce them (English, French, German), compared with
 * a term's lexemes, so every form of the word is recognised.
 */
const FRAME_LEXEMES = new Set(
  `long mani much often soon far time get got take make need want happen work give put let go come
  possibl way best tell know find
  bought purchas yesterday today ago recent last week
  combien temp longtemp fair peut pouv doi dois comment quand obten
  lang wie viel oft dauert dauer bekomm mach brauch gibt kann`.split(/\s+/),
);

export const isFrameTerm = (term: Pick<HitTerm, 'lexemes'>) => term.lexemes.some((l) => FRAME_LEXEMES.has(l));

/**
 * The question asks for a procedure ("how do I…", "how to…", "what are the steps", "comment
 * faire…", "wie kann ich…"): a numbered list is then the answer, quoted whole. Any other question
 * about a passage with a list gets the item that answers it, not the list.
 */
const ASKS_FOR_STEPS =
  /\b(?:how\s+(?:do|can|should|would|will)\s+(?:i|we|you)\b|how\s+to\b|steps?\b|procedure|process\b|instructions?\b|comment\s+(?:faire|puis|dois|peut|on)|comment\s+\p{L}+er\b|[ée]tapes?\b|(?:wie|so)\s+(?:kann|muss|soll|mache|funktioniert|geht)\b|schritte?\b|anleitung)/iu;

export const asksForSteps = (question: string) => ASKS_FOR_STEPS.test(question.normalize('NFKC'));
