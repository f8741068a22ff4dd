import type { EntitySpan } from './entity.js';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Januar|Jänner|Februar|März|Mai|Juni|Juli|Oktober|Dezember|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|januari|februari|maart|mei|juni|juli|augustus|oktober|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)';
/** Numeric (ISO, day-first, month-first, dotted), spelled-out ("4. Juni 1981", "5 de mayo de 1988", "Oct 5 1964"), CJK ("2003年4月18日") and Korean ("1990년 3월 5일"). */
const DATE = `(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/]${MONTH}[-/]\\d{2,4}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th|\\.)?(?:\\s+of|\\s+de)?\\s+${MONTH}\\.?,?(?:\\s+de)?\\s+\\d{4}|${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{4}\\s?年\\s?\\d{1,2}\\s?月\\s?\\d{1,2}\\s?日|\\d{4}\\s?년\\s?\\d{1,2}\\s?월\\s?\\d{1,2}\\s?일)`;
/**
 * A date is a date of birth only in context — "born", "DOB", "date of birth", "birthday" and
 * their equivalents in the languages we serve (Geburtsdatum, geboren am, date de naissance, né le,
 * fecha de nacimiento, nacido el, data di nascita, nato il, data de nascimento, nascido em,
 * data urodzenia, urodzona, doğum tarihi, födelsedatum, fødselsdato, syntymäaika, 生年月日).
 * A question may separate cue and answer in a chat transcript ("your date of birth? Visitor: …").
 */
const CUE =
  '\\bborn(?:\\s+on)?|\\bd\\.?o\\.?b\\.?|date\\s+of\\s+birth|birth\\s*date|birthday|b-?day|geburtsdatum|geburtstag|\\bgeb\\.|geboren(?:\\s+(?:am|op))?|geboortedatum|date\\s+de\\s+naissance|née?\\s+le|fecha\\s+de\\s+nac(?:imiento|\\.)|nacid[oa]\\s+el|data\\s+di\\s+nascita|nat[oa]\\s+il|data\\s+de\\s+nascimento|nascid[oa]\\s+em|data\\s+urodzenia|urodzon[aey](?:\\s+dnia)?|doğum\\s+(?:tarihi[mn]?|günüm)|födelsedatum|fødselsdato|født|syntymäaika|生年月日|出生日期|出生年月日|誕生日|생년월일|생일';
const DOB = new RegExp(
  `(?:${CUE})\\s*(?:is|was|:|-|\\?|shows|says|reads|is set to|is listed as|on file is|es|era|ist|war|est|è|é|är|er|jest|は|：)?\\s*(?:\\p{Lu}\\p{Ll}+\\s*:\\s*)?(?:on\\s+|le\\s+|el\\s+|il\\s+|em\\s+|am\\s+)?(?:the\\s+)?(${DATE})`,
  'giu',
);
/** The cue after the date: "am 2. März 1971 geboren", "on 4 May 1980 I was born" is rare, the German order is not. */
const DOB_BEFORE_CUE = new RegExp(`\\b(?:am|den)\\s+(${DATE})\\s+(?:geboren|zur\\s+Welt\\s+gekommen)`, 'giu');
/** A correction in the same sentence is a date of birth too: "… is 2003年4月18日 but should be 2003-04-08". */
const CORRECTION = new RegExp(
  `^[^.!\\n\\d]{0,40}?\\b(?:should be|not|instead of|actually|correct(?:ed)? to|change(?:d)? (?:it )?to|it's|it is)\\s+(${DATE})`,
  'iu',
);

export function detectDatesOfBirth(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(DOB)) {
    const date = m[1] ?? '';
    const start = m.index + m[0].length - date.length;
    spans.push({ type: 'DOB', start, end: start + date.length });
    const corrected = CORRECTION.exec(text.slice(start + date.length, start + date.length + 80));
    if (corrected) {
      const other = start + date.length + corrected[0].length - (corrected[1] ?? '').length;
      spans.push({ type: 'DOB', start: other, end: other + (corrected[1] ?? '').length });
    }
  }
  for (const m of text.matchAll(DOB_BEFORE_CUE)) {
    const date = m[1] ?? '';
    const start = m.index + m[0].indexOf(date);
    spans.push({ type: 'DOB', start, end: start + date.length });
  }
  return spans;
}
