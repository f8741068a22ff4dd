import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import type { SearchLanguage } from '../../../platform/db/schema/index.js';
import type { Lexeme } from './lexicon.js';

/**
 * Other forms of a question's word that a stemmer does not bring together, so that a visitor's
 * word meets the knowledge base's form of it:
 *
 * - derivations: Snowball stems "expire" to expir but "expiry" to expiri, "zip" to zip but
 *   "zipper" to zipper, "cover" to cover but "coverage" to coverag. A stem and the same stem plus
 *   a derivational ending (or minus one) are offered as forms of one term, when the org's
 *   lexicon has them (derivedLexemes);
 * - irregular inflections: "broke", "broken" are forms of "break", "worn" of "wear", "feet" of
 *   "foot" (irregularBase); the base word is stemmed and looked up like any word.
 *
 * English only: the endings and the table are English morphology (a stemmer of another language
 * conflates its own regular forms). General, not tuned to any knowledge base: the endings are
 * English derivational suffixes as the English stemmer leaves them, the table the common
 * irregular verbs and plurals.
 */

/**
 * Endings a stem may gain or lose. One-letter endings only on stems of five letters or more:
 * "expir"/"expiri" are one word, "part"/"parti" (party) and "stor"/"stori" (story) are not. No
 * agent-noun "-or": a visitor is not a visit (and "-er" stays for comparatives, "longer").
 */
const ENDINGS = ['e', 'i', 'er', 'al', 'ag', 'ion', 'ment', 'eri', 'abl'] as const;
/** Endings after a doubled final consonant ("zip" → "zipper", "ship" → "shipper"). */
const DOUBLING_ENDINGS = ['er', 'ing', 'i'] as const;
const MIN_STEM = 3;
const MIN_STEM_ONE_LETTER = 5;

const minStem = (ending: string) => (ending.length === 1 ? MIN_STEM_ONE_LETTER : MIN_STEM);
const CONSONANT = /[bcdfgklmnprstvz]$/;

/** Candidate lexemes related to an English stem by one derivational ending. Pure. */
export function derivedCandidates(stem: string): string[] {
  if (!/^\p{L}+$/u.test(stem)) return [];
  const out = new Set<string>();
  for (const ending of ENDINGS) {
    if (stem.length >= minStem(ending)) out.add(stem + ending);
    if (stem.endsWith(ending) && stem.length - ending.length >= minStem(ending)) {
      const base = stem.slice(0, -ending.length);
      out.add(base);
      // "zipper" → zipp → zip
      if (/(.)\1$/u.test(base) && base.length - 1 >= MIN_STEM) out.add(base.slice(0, -1));
    }
  }
  if (stem.length >= MIN_STEM && stem.length <= 4 && CONSONANT.test(stem)) {
    for (const ending of DOUBLING_ENDINGS) out.add(stem + stem.at(-1) + ending);
  }
  out.delete(stem);
  return [...out];
}

/**
 * Irregular English past forms and plurals, to the word they are a form of. Common verbs and
 * nouns of everyday language, none specific to a domain.
 */
const IRREGULAR: Record<string, string> = Object.fromEntries(
  `broke:break broken:break tore:tear torn:tear wore:wear worn:wear lost:lose paid:pay bought:buy
  sent:send got:get gotten:get went:go gone:go came:come made:make took:take taken:take gave:give
  given:give found:find left:leave kept:keep told:tell said:say sold:sell thought:think
  brought:bring caught:catch ran:run ate:eat eaten:eat fell:fall fallen:fall froze:freeze
  frozen:freeze stole:steal stolen:steal chose:choose chosen:choose forgot:forget
  forgotten:forget hid:hide hidden:hide rode:ride ridden:ride shook:shake shaken:shake
  shrank:shrink shrunk:shrink spent:spend stuck:stick threw:throw thrown:throw woke:wake
  wrote:write written:write began:begin begun:begin bent:bend built:build burnt:burn dealt:deal
  drew:draw drawn:draw drove:drive driven:drive fed:feed felt:feel fought:fight flew:fly flown:fly
  grew:grow grown:grow held:hold heard:hear hung:hang knew:know known:know laid:lay led:lead
  lent:lend met:meet rang:ring rung:ring rose:rise risen:rise saw:see seen:see sang:sing sung:sing
  sank:sink sunk:sink slept:sleep slid:slide spoke:speak spoken:speak stood:stand struck:strike
  swore:swear sworn:swear taught:teach understood:understand won:win wound:wind bled:bleed
  feet:foot teeth:tooth children:child men:man women:woman knives:knife lives:life
  halves:half shelves:shelf mice:mouse geese:goose`
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => pair.split(':') as [string, string]),
);

/** The word an irregular English form belongs to ("broke" → "break"), if any. Pure. */
export const irregularBase = (word: string): string | undefined => IRREGULAR[word];

/**
 * Per word (by index), the org's English lexemes one derivational ending away from the word's
 * English lexemes (see derivedCandidates), with their chunk counts. One primary-key probe per
 * candidate, whatever the lexicon's size.
 */
export async function derivedLexemes(
  tx: Tx,
  orgId: string,
  words: readonly (readonly Lexeme[])[],
): Promise<Lexeme[][]> {
  const language: SearchLanguage = 'english';
  const probes = words.flatMap((lexemes, i) =>
    [...new Set(lexemes.filter((x) => x.language === language).flatMap((x) => derivedCandidates(x.lexeme)))]
      .filter((candidate) => !lexemes.some((x) => x.lexeme === candidate))
      .map((lexeme) => ({ i, lexeme })),
  );
  const out: Lexeme[][] = words.map(() => []);
  if (probes.length === 0) return out;
  const rows = await queryRows<{ i: number; lexeme: string; df: number }>(
    tx,
    sql`select p.i, p.lexeme, lx.chunks as df
        from jsonb_to_recordset(${JSON.stringify(probes)}::jsonb) as p(i int, lexeme text)
        join lateral (select chunks from knowledge_lexicon
                      where org_id = ${orgId} and language = ${language} and lexeme = p.lexeme) lx on true
        where lx.chunks > 0`,
  );
  for (const r of rows) out[r.i]!.push({ language, lexeme: r.lexeme, df: Number(r.df) });
  return out;
}
