import type { EntitySpan } from './entity.js';
import { AMBIGUOUS_NAMES, FIRST_NAMES } from './first-names.js';

/**
 * Person names, from two signals:
 * - context: "my name is X", "I'm X", "this is X from", salutations ("Hi Marco,"), sign-offs
 *   ("Thanks, Anna"), titles ("Mr. Patel") — these find names the lexicon has never seen;
 * - the first-name lexicon for bare names ("Anna Schmidt called"), with surname tokens after it.
 * Capitalised words that start sentences in support chats ("Order", "Thanks", "Please") are in
 * NOT_NAMES so context triggers do not turn them into people.
 */
/** "Anna", "O'Connor", "McKenzie", "Jean-Luc", "Maëlle". */
const NAME_TOKEN =
  "\\p{Lu}(?:\\p{Ll}+(?:\\p{Lu}\\p{Ll}+)?|['’]\\p{Lu}\\p{Ll}+|\\.(?=[ ]\\p{Lu}))(?:-\\p{Lu}?\\p{Ll}+)?";
const PARTICLE =
  "(?:van der|van den|van de|van|von|der|de la|de|del|della|da|di|du|le|la|al|el|bin|ben|mc|o')";
/** A first token, then up to two surname tokens (particles allowed), on the same line. */
const FULL_NAME = `${NAME_TOKEN}(?:[ ](?:${PARTICLE}[ ])?${NAME_TOKEN}){0,3}(?![\\p{L}]|['’]\\p{L}{2})`;
const SIGN_OFF =
  'thanks|thank you|many thanks|thx|ty|cheers|regards|best regards|kind regards|best wishes|best|sincerely|yours|mfg|cordialement|groeten|merci|danke';

const NOT_NAMES = new Set(
  `a an the i im i'm it its this that there here hi hello hey dear thanks thank many thx cheers regards best kind warm
  please sorry not just still also really very happy glad looking trying having writing calling contacting
  afraid unable interested new back sure good fine ok okay yes no so but and or if when what why how where who
  order tracking invoice delivery package parcel shipping support customer service team account card payment
  refund return product item price today tomorrow yesterday monday tuesday wednesday thursday friday saturday
  sunday january february march april may june july august september october november december morning
  afternoon evening mr mrs ms dr my your our their his her we you they he she is was am are be been from with
  on at in to for of by about after before as can could would should will shall may might must do does did
  let lets let's quick urgent help issue problem question update again still waiting regarding re fwd
  street road avenue lane london berlin paris amsterdam mumbai delhi bengaluru new york
  iban ssn email phone mail address ip mobile tel fax cell home work office call send bank deliver ship
  pay paid contact reach check cancel change add remove sir madam all everyone folks
  version build sent`.split(/\s+/),
);

const TRIGGERS: Array<{ re: RegExp; strong: boolean; lowerCase?: boolean }> = [
  // "my name is Anna Schmidt", "name's Anna", "this is Anna from billing", "Anna here"
  {
    re: new RegExp(
      `\\b(?:my name is|my name's|name is|name's|this is|it's|it is|call me|called|named|speaking with|spoke (?:to|with)|talked to)\\s+(${FULL_NAME})`,
      'giu',
    ),
    strong: true,
  },
  { re: new RegExp(`\\b(?:I'm|I’m|I am|Im)\\s+(${FULL_NAME})`, 'gu'), strong: true },
  // People often type their own name in lower case: "my name is wojciech nowak"
  {
    re: /\b(?:my name is|my name's|call me)\s+(\p{Ll}{2,}(?:[ ]\p{Ll}{2,})?)(?![\p{L}])/gu,
    strong: true,
    lowerCase: true,
  },
  // Relations and hand-offs: "my wife Roos de Jong", "signed for by X", "please ask X"
  {
    re: new RegExp(
      `\\b(?:(?:my|our) (?:wife|husband|partner|colleague|manager|boss|son|daughter|mother|father|mom|mum|dad|friend|neighbou?r|brother|sister|assistant|accountant)|signed (?:for )?by|(?:please )?ask|in the name of|addressed to|attention|attn:?|contact person|c\\/o)\\s+(${FULL_NAME})`,
      'giu',
    ),
    strong: true,
  },
  // "Yash Mehta told me…": a full name followed by a reporting verb
  {
    re: new RegExp(
      `(${NAME_TOKEN}[ ](?:${PARTICLE}[ ])?${NAME_TOKEN})\\s+(?:told|said|called|asked|wrote|mentioned|promised|confirmed|emailed|phoned|replied|explained)\\b`,
      'gu',
    ),
    strong: true,
  },
  // Salutations at the start of a message or line: "Hi Marco," "Dear Ms. Patel"
  {
    re: new RegExp(
      `(?:^|\\n|[.!?]\\s)\\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|bonjour|hoi|namaste)\\s+(?:(?:mr|mrs|ms|dr)\\.?\\s+)?(${FULL_NAME})`,
      'giu',
    ),
    strong: true,
  },
  // Mid-text, a capitalised greeting followed by a comma still opens a message ("…exp 02/28 Hello Ole Hartmann,")
  {
    re: new RegExp(`\\b(?:Hi|Hello|Hey|Dear|Hallo|Bonjour|Hoi)\\s+(${FULL_NAME})(?=\\s*[,!—–-])`, 'gu'),
    strong: true,
  },
  // Sign-offs: "Thanks, Anna" "Best regards,\nPriya Sharma" — strong when the name ends the
  // line; otherwise ("thanks Mobile: …") the lexicon must know the first name.
  {
    re: new RegExp(
      `\\b(?:${SIGN_OFF})[,!.]?[ \\t]*\\n?[ \\t]*(${FULL_NAME})(?=[ \\t]*(?:$|\\n|[,.!]))`,
      'giu',
    ),
    strong: true,
  },
  {
    re: new RegExp(`\\b(?:${SIGN_OFF})[,!.]?[ \\t]*\\n?[ \\t]*(${FULL_NAME})`, 'giu'),
    strong: false,
  },
  { re: new RegExp(`(?:^|\\n)\\s*[-–—]\\s*(${FULL_NAME})\\s*$`, 'gmu'), strong: true },
  // Titles: "Mr. Patel", "Mrs Jansen", "Mr. van den Berg"
  {
    re: new RegExp(
      `\\b((?:Mr|Mrs|Ms|Miss|Dr|Herr|Frau|Mme|Mevrouw|Meneer|Shri|Smt)\\.?\\s+(?:${PARTICLE}[ ])?${FULL_NAME})`,
      'gu',
    ),
    strong: true,
  },
  // "X from <team/company>", "X here"
  { re: new RegExp(`(?:^|\\n|[.!?]\\s)\\s*(${FULL_NAME})\\s+here\\b`, 'gu'), strong: true },
  { re: new RegExp(`(?:^|\\n|[.!?]\\s)\\s*(${FULL_NAME})\\s+from\\b`, 'gu'), strong: false },
];

/**
 * One capitalised word at a time (the surname tokens after it are only looked at), so a
 * capitalised word before a name ("Yesterday Anna Schmidt", "The Victoria line") does not hide it.
 */
const BARE_NAME = new RegExp(
  `(?<![\\p{L}'’-])(${NAME_TOKEN})(?![\\p{L}])(?=((?:[ ](?:${PARTICLE}[ ])?${NAME_TOKEN}){0,2})(?![\\p{L}]))`,
  'gu',
);

function firstToken(name: string): string {
  return (name.split(/[ -]/)[0] ?? '').toLowerCase();
}

/**
 * Case-insensitive triggers ("thanks", "THANKS") make the name pattern case-insensitive too, so
 * keep only the leading tokens that really are capitalised (particles like "van" excepted):
 * "version" after "it's" is not a name.
 */
function capitalisedPrefix(raw: string): string {
  const parts = raw.split(' ');
  const kept: string[] = [];
  for (const [i, part] of parts.entries()) {
    const capitalised = /^\p{Lu}/u.test(part);
    const particle = i > 0 && /^\p{Ll}/u.test(part) && PARTICLE_WORD.test(part);
    if (!capitalised && !particle) break;
    kept.push(part);
  }
  while (kept.length > 0 && !/^\p{Lu}/u.test(kept[kept.length - 1] ?? '')) kept.pop();
  return kept.join(' ');
}
const PARTICLE_WORD = /^(?:van|von|der|den|de|la|del|della|da|di|du|le|al|el|bin|ben)$/u;

/** Drops trailing tokens that are ordinary words ("Anna Thanks" → "Anna"). */
function trimName(name: string): string {
  const parts = name.split(' ');
  while (parts.length > 1 && NOT_NAMES.has((parts[parts.length - 1] ?? '').toLowerCase())) parts.pop();
  return parts.join(' ');
}

export function detectPersons(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const { re, strong, lowerCase } of TRIGGERS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const raw = m[1] ?? '';
      const start = m.index + m[0].lastIndexOf(raw);
      const name = trimName(lowerCase ? raw : capitalisedPrefix(raw));
      const first = firstToken(raw);
      const accepted =
        name.length > 1 &&
        !NOT_NAMES.has(first) &&
        text[start + name.length] !== ':' &&
        (strong || FIRST_NAMES.has(first));
      // Resume after an accepted name, or at a rejected one: a word ("Thanks,\nCheers, Anna") or a
      // trimmed tail ("Thanks, Poppy Thanks, Alfie") may itself start the next match.
      re.lastIndex = Math.max(m.index + 1, accepted ? start + name.length : start);
      if (!accepted) continue;
      spans.push({ type: 'PERSON', start, end: start + name.length });
    }
  }
  for (const m of text.matchAll(BARE_NAME)) {
    const first = (m[1] ?? '').toLowerCase();
    if (!FIRST_NAMES.has(first)) continue;
    const surname = trimName(`${m[1]}${m[2] ?? ''}`);
    if (AMBIGUOUS_NAMES.has(first) && surname === m[1]) continue;
    spans.push({ type: 'PERSON', start: m.index, end: m.index + surname.length });
  }
  // Context and lexicon often find the same name; report it once.
  const seen = new Set<string>();
  return spans.filter((s) => {
    const key = `${s.start}:${s.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
