import type { EntitySpan } from './entity.js';
import { AMBIGUOUS_NAMES, FIRST_NAMES } from './first-names.js';
import { BRANDS, COMPANY_WORDS, PERSON_NAMED_BRAND } from './organisations.js';

/**
 * Person names, from four signals:
 * - context: "my name is X", "I'm X", "ask for X", "cc X", "my colleague X", "the driver, X",
 *   salutations ("Hi Marco,"), sign-offs ("Thanks, Anna"), titles ("Mr. Patel", "Frau Köhler"),
 *   "X from the Warsaw office", "X said…" — these find names the lexicon has never seen;
 * - the first-name lexicon for bare names ("Anna Schmidt called"), with surname tokens after it;
 * - surname shapes: a capitalised pair whose second word ends like a surname in many languages
 *   ("…ska", "…poulos", "…sson", "…escu") is a name even when the first name is unknown;
 * - "and": a name joined to a found one ("Ewa and Piotr") is a name too.
 * Guards against over-redaction: capitalised words that start sentences in support chats are in
 * NOT_NAMES; a lexicon name right after "the/a/our…" or right before a product or place noun
 * ("the Sofia Chair", "Madison Avenue", "the Ashley mattress") is a product or a place.
 */
/** "Anna", "O'Connor", "McKenzie", "Jean-Luc", "Maëlle", and initials "J." before a name or particle. */
const NAME_TOKEN =
  "\\p{Lu}(?:\\p{Ll}+(?:\\p{Lu}\\p{Ll}+)?|['’]\\p{Lu}\\p{Ll}+|\\.(?=[ ](?:\\p{Lu}|(?:van|von|de|da|di|du|del|der|la|le)[ ])))(?:-\\p{Lu}?\\p{Ll}+)?";
const PARTICLE =
  "(?:i|y|dela|delos|Mac|Nic|Mhic|Ní|Ó|Uí|van der|van den|van de|van|von|der|de la|de|del|della|da|di|du|le|la|al|el|bin|ben|mc|o')";
/** A first token, then up to three surname tokens (particles allowed), on the same line. */
/** A surname may also be an Arabic article-prefixed name ("al-Farsi", "el-Sayed") or a French elided one ("d'Aubigny"). */
const SURNAME_TOKEN = `(?:${NAME_TOKEN}|(?:al|el|ul|ad|ar|as|ash|at|az|abu|bin|ibn)-\\p{Lu}\\p{Ll}+|[dD]['’]\\p{Lu}\\p{Ll}+)`;
const FULL_NAME = `${NAME_TOKEN}(?:[ ](?:${PARTICLE}[ ])?${SURNAME_TOKEN}){0,3}(?![\\p{L}]|['’]\\p{L}{2})`;
const SIGN_OFF = [
  'thanks(?: so much| a lot| again| in advance)?',
  'thank you(?: so much| again| in advance)?',
  'many thanks',
  'with thanks',
  'thx',
  'ty',
  'cheers',
  '(?:best|kind|warm|warmest|many|with kind)? ?regards',
  'best wishes',
  'all the best',
  'take care',
  'speak soon',
  'talk soon',
  '(?:talk|speak) to you soon',
  'see you soon',
  'have a (?:good|nice|great|lovely) (?:day|weekend|evening|one)',
  'love(?=[,\\n])',
  'xx+',
  'hugs',
  'best',
  'sincerely',
  'yours(?: sincerely| truly| faithfully)?',
  'respectfully',
  'signed',
  'mfg',
  'lg',
  '(?:(?:viele|liebe|beste|herzliche|freundliche) )?grüße',
  'gruß',
  'vg',
  'mit freundlichen grüßen',
  'cordialement',
  'bien à vous',
  'met vriendelijke groet(?:en)?',
  'groet(?:en|jes)',
  '(?:un )?saludos?',
  'cordiali saluti',
  'saluti',
  'pozdrawiam',
  'hälsningar',
  'mvh',
  'med venlig hilsen',
  'hilsen',
  'atenciosamente',
  'üdvözlettel',
  'üdv',
  's pozdravem',
  's pozdravom',
  'srdečně',
  'cu stimă',
  'cu drag',
  'saygılarımla',
  'με εκτίμηση',
  'atentamente',
  'un abrazo',
  'abraços',
  'cumprimentos',
  'xoxo',
  'merci',
  'danke',
].join('|');
const TITLE =
  '(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Herrn|Frau|Mme|Mlle|Mevrouw|Mevr|Meneer|Dhr|Sr|Sra|Srta|Sig|Sig\\.ra|Dott|Pan|Pani|Shri|Smt|Rev|Fr|Sir|Dame|Aunt|Auntie|Uncle|Grandma|Grandpa|Granny|Tante|Onkel|Oma|Opa)';
/** "M. Lefèvre": the French "Monsieur" only with its dot. */
const TITLE_PREFIX = `(?:${TITLE}\\.?|M\\.)`;
/** People named by their role: "my colleague X", "the driver, X", "our accountant X". */
const ROLE =
  '(?:wife|husband|partner|fianc[ée]e?|colleague|co-?worker|manager|boss|son|daughter|mother|father|mom|mum|dad|parents?|grandmother|grandfather|grandma|grandpa|granny|aunt|uncle|cousin|niece|nephew|friend|neighbou?r|brother|sister|assistant|accountant|lawyer|solicitor|landlord|landlady|tenant|flatmate|roommate|housemate|driver|courier|postman|delivery (?:guy|man|driver)|technician|engineer|installer|agent|rep|representative|supervisor|director|ceo|cfo|cto|admin|administrator|employee|intern|client|customer|doctor|nurse|teacher|caretaker|cleaner|nanny|contact|bookkeeper|secretary|receptionist|buyer|owner|user|signatory|dentist|vet|carer|guardian|stepson|stepdaughter|grandson|granddaughter|child|kid|team lead|lead|head of \\p{L}+|office manager|account manager|project manager)';
/** Departments and places in a company: "Anna from billing", "Olamide in finance". */
const DEPARTMENT =
  '(?:team|office|department|dept|support|desk|side|store|shop|branch|warehouse|billing|sales|accounts|accounting|finance|hr|it|legal|logistics|marketing|customer service|reception|helpdesk|help desk|operations|procurement|purchasing|dispatch|headquarters|hq|company)';

const NOT_NAMES = new Set(
  `a an the i im i'm it its this that there here hi hello hey dear thanks thank many thx cheers regards best kind warm
  please sorry not just still also really very happy glad looking trying having writing calling contacting
  afraid unable interested new back sure good fine ok okay yes no so but and or if when what why how where who
  order orders tracking invoice invoices delivery deliveries package packages parcel parcels shipping support
  customer customers service services team teams account accounts card cards payment payments refund refunds
  return returns product products item items price prices today tomorrow yesterday monday tuesday wednesday
  thursday friday saturday sunday january february march april may june july august september october november
  december morning afternoon evening night mr mrs ms dr my your our their his her we you they he she is was am
  are be been from with on at in to for of by about after before as can could would should will shall may might
  must do does did let lets let's quick urgent help issue problem question update again waiting regarding re
  fwd fw street road avenue lane london berlin paris amsterdam mumbai delhi bengaluru new york iban ssn email
  phone mail address ip mobile tel fax cell home work office call send bank deliver ship pay paid contact reach
  check cancel change add remove sir madam all everyone everybody someone somebody anyone anybody nobody folks
  version build sent greetings welcome congratulations congrats attached attachment enclosed subject note
  btw lol pls plz asap fyi ps pps speaking here there talking ringing again too now then later soon
  admin manager director billing sales finance accounting legal marketing operations hr it reception
  dept department group company inc ltd gmbh llc bv sa ag plc corp ops payable receivable helpdesk management
  staff crew us procurement purchasing logistics accounts dispatch warehouse signed logged guys friends
  people colleagues ladies gentlemen sirs hiring recruiting recruiter valued esteemed tell ask email thank give
  forward remind inform notify pass put get make take keep`.split(/\s+/),
);

/** Words right before a product or place name ("the Sofia Chair", "our Berlin office"). */
const DETERMINER_BEFORE =
  /(?:(?:^|[^\p{L}])(?:the|a|an|this|that|these|those|our|your|their|its|my|his|her|new|old|same|every|each|any|some|which|what)\s+|(?:^|[^\p{L}])(?:st|saint|san|santa|sankt|king|queen|prince|princess|lord|lady|pope|mount|mt|lake|cape|fort|port)\.?\s+)$/iu;
/** Words right after a name that make it a product, a place or an organisation. */
const THING_AFTER =
  /^[ ]+(?:&[ ]+co|store|shop|office|branch|location|warehouse|outlet|mattress|chair|desk|sofa|couch|table|lamp|bed|rug|shelf|cabinet|plan|tier|edition|theme|room|sneakers?|boots?|shoes?|series|collection|app|bundle|kit|ultra|dress|shirt|jacket|coat|bag|bottle|tin|blend|tea|coffee|machine|suite|template|report|campaign|project|street|st|avenue|ave|road|rd|park|square|lane|station|airport|hotel|bridge|university|college|school|hospital|city|county|bay|beach|river|lake|mountain|valley|hall|centre|center|mall|market|stadium|arena|tower|gardens?|terrace|boulevard|grey|gray|pen|pens|paper|sale|sales|deal|deals|offer|discount|special|pacific|atlantic|central|ltd|limited|inc|gmbh|llc|bv|plc|group|holdings|logistics|solutions|systems|technologies|tech|consulting|partners|foods|media|labs|studio|software|services|bank|insurance|airlines|airways|motors|pharma|corp)(?![\p{L}])|^['’]s[ ]+day\b/iu;

/** Lower-case colours after a name make it a product colour ("Sandy beige"); capitalised ones may be surnames (Anna Black). */
const COLOUR_AFTER =
  /^[ ]+(?:beige|black|white|blue|red|green|pink|gold|silver|navy|brown|cream|ivory|rose|stone|grey|gray|teal|olive|charcoal|sand|mint|coral|lilac|purple|yellow|orange)(?![\p{L}])/u;

/** Second words that end like surnames in many languages. */
const SURNAME_SHAPE =
  /\p{L}{2}(?:ski|ska|cki|cka|dzki|dzka|wicz|czyk|czak|sson|ssen|sen|son|qvist|kvist|ström|strom|berg|borg|gren|lund|dahl|poulos|akis|idis|ides|escu|eanu|ović|ovic|evic|ević|vić|enko|chuk|czuk|shvili|adze|yan|oglu|oğlu|ova|eva|ov|ev|sky|skaya|stein|mann|feld|baum|ini|etti|ucci|elli|ainen|anen|onen|inen|nen|ez|oulos|aki|moto|yama|kawa|mura|hara|naka|saki|ishi|uchi|ana|ani|vili|iak|czek|ček|ová|ský|dóttir|dottir|sdóttir)$/u;
/** Common words with a surname-like ending that must not make a pair a name. */
const NOT_SURNAMES = new Set(
  'season reason person lesson lemon comparison version ultra berg iceberg seven even eleven given driven eleven queen screen green between often citizen women chicken kitchen garden golden broken hidden open token frozen chosen fashion mini bikini zucchini martini panini tahini nov dev prev'.split(
    ' ',
  ),
);

/**
 * `anyName`: the first word must be a given name the lexicon knows, ambiguous ones included, and
 * may be an ordinary word too ("Will called", "Grace and I") — the context decides.
 */
type Trigger = {
  re: RegExp;
  strong: boolean;
  lowerCase?: boolean;
  titled?: boolean;
  anyName?: boolean;
  /** The first word must be a given name the lexicon knows, ambiguous ones included (but not an ordinary word). */
  lexicon?: boolean;
  /** The name is itself a label, so a colon right after it is expected ("Agent X: …"). */
  label?: boolean;
};

/** Family names written first in East and Southeast Asian order ("Nguyen Thi Lan", "Sato Haruto"). */
const FAMILY_FIRST =
  // Only names that are not also English words or places ("Park", "Song", "Hong Kong" stay out).
  '(?:Nguyen|Nguyễn|Tran|Trần|Lê|Pham|Phạm|Hoang|Hoàng|Huynh|Phan|Võ|Đặng|Bui|Bùi|Đỗ|Ngo|Ngô|Duong|Wang|Zhang|Liu|Chen|Huang|Zhao|Zhou|Zhu|Guo|Gao|Luo|Zheng|Liang|Xie|Deng|Feng|Peng|Zeng|Xiao|Cheng|Yuan|Jiang|Cai|Sato|Suzuki|Takahashi|Tanaka|Watanabe|Yamamoto|Nakamura|Kobayashi|Kato|Yoshida|Yamada|Sasaki|Yamaguchi|Matsumoto|Inoue|Kimura|Hayashi|Shimizu|Choi|Kwon|Hwang|(?:Le|Vu|Vo|Do|Ly|Ho|Dang|Lam|Mai|Trinh|Dinh|Luong|Ha|Ta|Cao|Truong)(?=[ ](?:Thi|Thị|Van|Văn|Minh|Duc|Đức|Ngoc|Ngọc|Thanh|Quang|Huu|Hữu|Xuan|Hoang|Kim|Anh)[ ]\\p{Lu}))';

const TRIGGERS: Trigger[] = [
  // A given name, even an ordinary word, at a sentence start with an action only a person does:
  // "Will called yesterday", "Rose said", "Mark confirmed", "Summer placed the order", "Grace and I"
  {
    re: new RegExp(
      `(?:^|[.!?,;:]\\s+|\\n\\s*|[—–]\\s*|\\b(?:so|and|then|but|because|also|now|apparently|today|yesterday)\\s+)(${NAME_TOKEN}(?:[ ]${NAME_TOKEN})?)\\s+(?:said|says|called|calls|rang|phoned|emailed|texted|messaged|confirmed|placed|ordered|wants|wanted|needs|needed|asked|asks|told|promised|bought|collected|signed|booked|returned|received|mentioned|thinks|thought|agreed|complained|will (?:collect|call|pick|sign|send|come|bring|email|text|ring)|is the one)\\b`,
      'gu',
    ),
    strong: true,
    anyName: true,
  },
  // "goes to Ines and me", "Grace and I share the account"
  {
    re: new RegExp(`(?<![\\p{L}\\p{N}'’-])(${NAME_TOKEN})\\s+and\\s+(?:I|me|myself)\\b`, 'gu'),
    strong: true,
    anyName: true,
  },
  // Lower-case at a message's start with "here" or a reporting verb: "ruby here", "jackson said"
  {
    re: /(?:^|\n)\s*(\p{Ll}{2,})\s+(?:here|said|says|called|told|asked)\b/gu,
    strong: true,
    lowerCase: true,
    anyName: true,
  },
  // Family name first (East and Southeast Asian order): "Nguyen Thi Lan —", "Sato Haruto desu", "this is liu yang"
  {
    re: new RegExp(`(?<![\\p{L}'’-])(${FAMILY_FIRST}(?:[ ]\\p{Lu}\\p{Ll}+){1,2})(?![\\p{L}])`, 'gu'),
    strong: true,
  },
  {
    re: new RegExp(
      `\\b(?:i'm|i’m|im|i am|this is|it's|its|my name is)\\s+(${FAMILY_FIRST}[ ]\\p{Ll}{2,}(?:[ ]\\p{Ll}{2,})?)(?![\\p{L}])`,
      'giu',
    ),
    strong: true,
    lowerCase: true,
  },
  // A greeting from a place, then the name: "Grüße aus Wien, Katharina", "Greetings from Cork, Aoife"
  {
    re: new RegExp(
      // Case-sensitive, so the place and the name must be capitalised ("Greetings from Tiiu in Tallinn!" is not one).
      `(?<![\\p{L}])(?:[Gg]reetings|[Rr]egards|[Ll]ove|[Gg]rüße|[Gg]ruß|[Ss]aludos|[Ss]aluti|[Gg]roeten|[Pp]ozdrowienia|[Bb]isous|[Cc]heers)\\s+(?:from|aus|de|desde|da|uit|z)\\s+(?:\\p{Lu}[\\p{L}-]*[ ]?){1,3},\\s*(${FULL_NAME})[ \\t]*(?=$|\\n|[.!]|\\p{Extended_Pictographic})`,
      'gu',
    ),
    strong: true,
  },
  // A signature block after "--": "--\nGiulia Ferrante\nVia Garibaldi 21"
  { re: new RegExp(`(?:^|\\n)--[ \\t]*\\n[ \\t]*(${FULL_NAME})[ \\t]*(?=$|\\n)`, 'gu'), strong: true },
  // A full name ending the message after a comma: "…that's my Luxembourg account, Claude Schmit"
  {
    re: new RegExp(`,[ ]+(${NAME_TOKEN}[ ](?:${PARTICLE}[ ])?${NAME_TOKEN})\\s*$`, 'gu'),
    strong: false,
  },
  // A full name opening the message before a dash: "Precious Okonkwo — order for the church event"
  {
    re: new RegExp(
      `^\\s*(${NAME_TOKEN}[ ](?:${PARTICLE}[ ])?${NAME_TOKEN}(?:[ ]${NAME_TOKEN})?)\\s+[-–—]\\s`,
      'gu',
    ),
    strong: false,
  },
  // "bei Huber klingeln", "its Bea from the café", "Bill the accountant", "Happy birthday Rosemary,"
  { re: new RegExp(`\\bbei\\s+(${FULL_NAME})\\s+(?:klingeln|läuten|abgeben)\\b`, 'gu'), strong: true },
  {
    re: new RegExp(`\\b(?:its|it's|it’s|it is)\\s+(${FULL_NAME})\\s+(?:from|here|again|speaking)\\b`, 'giu'),
    strong: true,
  },
  {
    // not "Will the driver call", "Text the courier": the lexicon, and no ordinary words
    re: new RegExp(`(?<![\\p{L}'’-])(${NAME_TOKEN})\\s+the\\s+${ROLE}\\b`, 'gu'),
    strong: true,
    lexicon: true,
  },
  {
    re: new RegExp(
      `\\b(?:[Hh]appy (?:birthday|anniversary)|[Cc]ongratulations|[Cc]ongrats|[Ww]ell done|[Gg]ood luck)[,]?\\s+(${FULL_NAME})(?=\\s*[,!.—–-])`,
      'gu',
    ),
    strong: true,
  },
  // "my name is Anna Schmidt", "name's Anna", "this is Anna from billing", "ask for Dev", "cc Henrik"
  {
    re: new RegExp(
      `\\b(?:my name is|my name's|name is|name's|this is|je m'appelle|je m’appelle|je suis|mein name ist|ich bin|ik ben|mijn naam is|ik heet|me llamo|mi nombre es|soy|mi chiamo|il mio nome è|sono|nazywam się|jestem|meu nome é|chamo-me|eu sou|jag heter|jeg heter|jeg hedder|minun nimeni on|olen|it's|it is|call me|called|named|speaking with|spoke (?:to|with)|speak (?:to|with)|talk(?:ed)? (?:to|with)|ask(?:ed)? for|ask after|cc:?|bcc:?|account holder(?: is|:)?|card ?holder(?: is|:)?|(?:name of the )?recipient(?: is|:)?|t\\.?\\s?n\\.?\\s?v\\.?|ten name van|z\\.\\s?hd\\.?|zu händen(?: von)?|à l'attention de|put me through to|transfer(?:red)? me to|handled by|assigned to|contact person:?|(?:billing |main |primary |new )?contact(?: person)?(?: is| to|:)|(?:maiden|full|legal|real|married|my) name(?: is|,|:)|under the name(?: of)?|(?:name|names) was|(?:order|booking|account|reservation|it)(?: is| was|'s|’s) (?:booked |placed |registered |saved )?under|bill(?: it)? to|invoice(?: it)? to|sou(?: a| o)?|intestat[oa] a|a nome di|titolare|titular|inhaber(?:in)?|kontoinhaber(?:in)?|lautend auf|au nom de|a nombre de)\\s+(${FULL_NAME})`,
      'giu',
    ),
    strong: true,
  },
  { re: new RegExp(`\\b(?:I'm|I’m|I am|Im)\\s+(${FULL_NAME})`, 'gu'), strong: true },
  // Vocatives after a request or thanks: "Any update, Rosalía?", "thanks for your help Kasper"
  {
    re: new RegExp(
      `\\b(?:[Aa]ny (?:update|news|luck|progress)|[Tt]hanks? (?:you )?for [^,.!?\\n]{1,30}?|[Aa]ppreciate it|[Mm]uch appreciated|[Ss]orry to bother you)[,]?\\s+(${FULL_NAME})(?=\\s*(?:$|\\n|[,.!?]))`,
      'gu',
    ),
    strong: true,
  },
  // Form-style labels at the start of a line: "Name: Leilani Kahale", "Billing name Gwendolyn Parry-Jones"
  {
    re: new RegExp(
      `(?:^|\\n)[ \\t]*(?:(?:full|first|last|given|family|account|billing|customer|contact|recipient|sender|card ?holder|holder|employee|patient|student|passenger|guest|traveller|traveler|member|user|owner|driver)[ ]name|name|customer|recipient|sender|contact|card ?holder|name on (?:the )?card|account holder|nom|naam|nombre|nome|vorname|nachname)[ \\t]*[:：]?[ \\t]+(${FULL_NAME})|(?:^|\\n)[ \\t]*(?:from|to|cc|bcc|sender|reply-to|von|an|de|à|van|aan)[ \\t]*:[ \\t]*(${FULL_NAME})`,
      'giu',
    ),
    strong: true,
  },
  // An initial and a surname: "the label says J. Okoro"
  {
    re: /(?<![\p{L}\p{N}.'’-])(\p{Lu}\.\s?\p{Lu}\p{Ll}{2,}(?:-\p{Lu}\p{Ll}+)?)(?![\p{L}])/gu,
    strong: true,
  },
  // Someone's relations and belongings: "Rutger's colleague", "Carmel's complaint" (the latter needs the lexicon)
  {
    re: new RegExp(`(?<![\\p{L}\\p{N}'’-])(${FULL_NAME})['’]s\\s+(?:new\\s+)?${ROLE}\\b`, 'gu'),
    strong: true,
  },
  {
    re: new RegExp(
      `(?<![\\p{L}\\p{N}'’-])(${FULL_NAME})['’]s\\s+(?:complaint|order|account|card|parcel|package|email|message|request|return|refund|address|phone|number|details|booking|reservation|invoice|case|ticket|password|login|profile|birthday)\\b`,
      'gu',
    ),
    strong: false,
  },
  // A pronoun picks the name up: "please refund Brigid, she returned the coat"
  {
    re: new RegExp(`(?<![\\p{L}\\p{N}'’-])(${FULL_NAME}),\\s+(?:she|he)\\s+(?!is\\b)`, 'gu'),
    strong: true,
  },
  // One name and a reporting verb aimed at a person: "Oisín said you'd email", "Bob told me"
  {
    re: new RegExp(
      `(?<![\\p{L}\\p{N}'’-])(${NAME_TOKEN})\\s+(?:said|told|promised|asked|assured|reassured|informed|emailed|messaged|texted|called|rang|phoned)\\s+(?:me|us|you|that you|you'd|you’d|you would|our|my)\\b`,
      'gu',
    ),
    strong: true,
  },
  // A role in brackets after a name: "Chukwudi (my husband) placed the order"
  {
    re: new RegExp(
      `(?<![\\p{L}\\p{N}'’-])(${FULL_NAME})\\s*\\((?:my|our|the|his|her|their)\\s+(?:new\\s+|old\\s+)?${ROLE}\\)`,
      'gu',
    ),
    strong: true,
  },
  // A known given name typed in lower case as the last word of a message: "…if u need it. kevin"
  { re: /(?:[.!?]\s+|\n\s*)(\p{Ll}{2,})\s*$/gu, strong: false, lowerCase: true },
  // A lower-case name alone on its line after a sign-off: "best\\ntomás", "Best,\\nkevin o'brien\\nkob@…"
  {
    re: new RegExp(
      `(?<![\\p{L}])(?:${SIGN_OFF})[,!.]?[ \\t]*\\n[ \\t]*(\\p{Ll}{2,}(?:[ ]\\p{Ll}+(?:['’]\\p{Ll}+)?)?)[ \\t]*(?=$|\\n)`,
      'giu',
    ),
    strong: true,
    lowerCase: true,
  },
  // Self-introductions in non-Latin scripts, where names have no capitals: Chinese 我叫 X, Japanese
  // "こんにちは、X です" / "X と申します", Korean "안녕하세요 X입니다" / "제 이름은 X", Greek "είμαι η X".
  {
    re: /(?:我叫|我的名字是|我的名字叫|名字叫)\s*(\p{Script=Han}{2,3})(?!\p{Script=Han})/gu,
    strong: true,
    lowerCase: true,
  },
  {
    re: /(?:(?:こんにちは|はじめまして|初めまして|お世話になっております|私は|わたしは)[、,。!！]?\s*)(\p{Script=Han}{1,3}[ 　]?\p{Script=Han}{1,3})(?=です|と申します)|(\p{Script=Han}{1,3}[ 　]?\p{Script=Han}{1,3})(?=と申します)/gu,
    strong: true,
    lowerCase: true,
  },
  {
    re: /(?:(?:안녕하세요|저는)[.,!]?\s*(\p{Script=Hangul}{2,4})(?=입니다|이에요|예요)|제\s?이름은\s*(\p{Script=Hangul}{2,4})(?!\p{Script=Hangul}))/gu,
    strong: true,
    lowerCase: true,
  },
  {
    re: new RegExp(`(?:είμαι\\s+(?:η|ο)|με\\s+λένε|ονομάζομαι|λέγομαι)\\s+(${FULL_NAME})`, 'gu'),
    strong: true,
  },
  // "hi im Gareth Pryce": lower-case "im" only after a greeting (German "im" is "in the").
  { re: new RegExp(`\\b(?:hi|hey|hello|hiya)[,!]?\\s+im\\s+(${FULL_NAME})`, 'giu'), strong: true },
  // A field label before a name and a "|" or line end: "Employee Dana Whitfield | …"
  {
    re: new RegExp(
      `(?:^|[|\\n]\\s*)(?:Employee|Staff|Member|Tenant|Patient|Student|Applicant|Driver|Customer)\\s+(${FULL_NAME})\\s*(?=\\||$|\\n)`,
      'gu',
    ),
    strong: true,
  },
  // "Wilhelmina de Wet — account holder": a name, then its role after a dash.
  {
    re: new RegExp(`(?:^|\\n)\\s*(${FULL_NAME})\\s*[—–-]\\s*(?:the\\s+)?(?:account|card)\\s?holder\\b`, 'gu'),
    strong: true,
  },
  // A vocative at a sentence end: "…on your account, Katrin. Do you…" (lexicon names only).
  { re: new RegExp(`,[ ]+(${NAME_TOKEN})(?=[.!?](?:\\s|$))`, 'gu'), strong: false },
  // A transcript's agent label: "Agent Refilwe: Hi …", "Operator Jonas:"
  {
    re: new RegExp(`(?:^|\\n)\\s*(?:Agent|Operator|Advisor|Adviser|Rep)\\s+(${FULL_NAME}):`, 'gu'),
    strong: true,
    label: true,
  },
  // Filipino "si X po": "si Maricel dela Cruz po ito"
  { re: new RegExp(`(?<![\\p{L}])si\\s+(${FULL_NAME})\\s+(?:po|ito|here)\\b`, 'gu'), strong: true },
  // "please let Marguerite know"
  { re: new RegExp(`\\blet\\s+(${FULL_NAME})\\s+know\\b`, 'gu'), strong: true },
  // Hand-offs and thanks: "pass this on to X", "forward it to X", "thanks to X for", "add X as a user"
  {
    re: new RegExp(
      `\\b(?:(?:pass|forward|give|hand|send|show|explain|mention|escalate|transfer|assign|reassign)(?: this| it| that| them| the \\p{L}+)?(?: back| on| over)? to|(?:thanks|thank you|grateful|kudos|shout-?out) to|on behalf of|(?:add|invite|register|remove|delete) (?=\\p{Lu}\\p{Ll}+(?: \\p{Lu}\\p{Ll}+)? as\\b))\\s*(${FULL_NAME})`,
      'gu',
    ),
    strong: true,
  },
  // Questions about a person: "When will Kaylee call me back", "Is Tanner still handling my case?"
  {
    re: new RegExp(
      `\\b(?:[Ww]ill|[Ww]ould|[Cc]an|[Cc]ould|[Dd]id|[Dd]oes|[Ii]s|[Hh]as|[Ss]hould|[Mm]ay)\\s+(${FULL_NAME})\\s+(?:still |already |not |also |then |please |maybe |ever )?(?:call|ring|phone|email|e-mail|text|message|contact|reply|respond|get back|come|handle|handling|help|helping|look|looking|check|send|sending|arrange|fix|sort|confirm|approve|sign|pick|deliver|visit|be (?:able|available|in|back|there|here|around))\\b`,
      'gu',
    ),
    strong: true,
  },
  // Lower-case names the lexicon knows, after a preposition or verb that takes a person: "opened by eline"
  {
    re: /\b(?:by|to|with|from|for|ask|asked|cc|tell|told|thank|thanks|dear|hi|hello|hey)\s+(\p{Ll}{2,})(?![\p{L}\d@.-]|\.\p{L})/gu,
    strong: false,
    lowerCase: true,
  },
  // People often type their own name in lower case: "my name is wojciech nowak"
  {
    re: /\b(?:my name is|my name's|call me)\s+(\p{Ll}{2,}(?:[ ]\p{Ll}{2,})?)(?![\p{L}])/gu,
    strong: true,
    lowerCase: true,
  },
  // …and after "i'm"/"it's" only when the lexicon knows it ("i'm diego btw", "its tom again")
  {
    re: /\b(?:i'm|i’m|im|i am|it's|it’s|its|it is|this is)\s+(\p{Ll}{2,}(?:-\p{Ll}{2,})?(?:[ ]\p{Ll}{2,})?)(?![\p{L}])/giu,
    strong: false,
    lowerCase: true,
  },
  // A lower-case name after a role, when the lexicon knows it: "my colleague tomasz"
  {
    re: new RegExp(
      `\\b(?:my|our|his|her) ${ROLE},?\\s+(\\p{Ll}{2,}(?:[ ](?:o['’]|mc|mac)?\\p{Ll}{2,})?)(?![\\p{L}])`,
      'gu',
    ),
    strong: false,
    lowerCase: true,
  },
  // "according to Grzegorz": only names the lexicon knows
  { re: new RegExp(`\\baccording to\\s+(${FULL_NAME})`, 'gu'), strong: false },
  // Relations and hand-offs: "my wife Roos de Jong", "the driver, Sergio,", "signed for by X", "please ask X"
  {
    re: new RegExp(
      `\\b(?:(?:(?:my|our|the|your|his|her|their) (?:new |old |former |current |main )?${ROLE}(?:,| is| was| will be| now is| called| named)?)|signed (?:for )?by|(?:please )?ask|in the name of|addressed to|attention|attn:?|c\\/o|belongs to)\\s+(${FULL_NAME})`,
      'giu',
    ),
    strong: true,
  },
  // "Yash Mehta told me…": a full name followed by a reporting or action verb
  {
    re: new RegExp(
      `(?<![\\p{L}\\p{N}'’-])(${NAME_TOKEN}[ ](?:${PARTICLE}[ ])?${NAME_TOKEN}(?:[ ]${NAME_TOKEN})?)\\s+(?:told|said|says|called|calls|asked|asks|wrote|writes|mentioned|promised|confirmed|emailed|phoned|rang|texted|messaged|replied|explained|tried|wants|wanted|needs|needed|ordered|bought|paid|placed|booked|approved|signed|received|reported|complained|noticed|requested|returned|cancell?ed|forgot|left|visited|spoke|agreed|suggested|recommended|insisted|handles|handled|manages|will|would|can't|cannot|couldn't|won't|has (?:been|not|no|already|just)|is (?:the|our|my|a|an|not|no longer|now|away|out|on|off|in charge|responsible|leaving|joining|travelling|traveling))\\b`,
      'gu',
    ),
    strong: true,
  },
  // Salutations at the start of a message or line: "Hi Marco," "Dear Ms. Patel"
  {
    re: new RegExp(
      `(?:^|\\n|[.!?]\\s)\\s*(?:hi|hiya|hello|hey|dear|morning|good (?:morning|afternoon|evening)|hallo|moin|servus|grüezi|grüß gott|bonjour|salut|hoi|hej|hei|ciao|hola|olá|namaste|greetings|yo|szia|ahoj|merhaba|salam)(?:\\s+(?:again|there))?[,]?\\s+(?:${TITLE_PREFIX}\\s+)?(${FULL_NAME})`,
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
      `(?<![\\p{L}])(?:${SIGN_OFF})[,!.]?[ \\t]*(?:[-–—][ \\t]*)?\\n?[ \\t]*(${FULL_NAME})(?=[ \\t]*(?:$|\\n|[,.!]|\\p{Extended_Pictographic}|[:;]-?[)D(]))`,
      'giu',
    ),
    strong: true,
  },
  {
    re: new RegExp(`(?<![\\p{L}])(?:${SIGN_OFF})[,!.]?[ \\t]*\\n?[ \\t]*(${FULL_NAME})`, 'giu'),
    strong: false,
  },
  { re: new RegExp(`(?:^|\\n|[.!?]\\s+)\\s*[-–—]\\s*(${FULL_NAME})\\s*(?:$|,)`, 'gmu'), strong: true },
  // Titles: "Mr. Patel", "Mrs Jansen", "Mr. van den Berg", "Frau Köhler", "M. Lefèvre"
  {
    re: new RegExp(
      `(?<![\\p{L}])((?:${TITLE_PREFIX}\\s+(?:and|&|und|et|en|y)\\s+)?${TITLE_PREFIX}\\s+(?:${PARTICLE}[ ])?${FULL_NAME})`,
      'gu',
    ),
    strong: true,
    titled: true,
  },
  // "X here", "X from <team/company>", "X from the Warsaw office", "Olamide in finance"
  { re: new RegExp(`(?:^|\\n|[.!?,;:]\\s)\\s*(${FULL_NAME})\\s+here\\b`, 'gu'), strong: true },
  {
    re: new RegExp(
      `(?<![\\p{L}\\p{N}'’-])(${FULL_NAME})\\s+(?:from|in|at|of)\\s+(?:(?:your|the|our|my)\\s+)?(?:\\p{Lu}[\\p{L}&-]*\\s+|(?:sales|support|returns|customer|billing|accounts|finance|it|hr|legal|tech|technical|shipping|delivery|service|main|local|head|front|help|information|security)\\s+)?${DEPARTMENT}(?![\\p{L}])`,
      'gu',
    ),
    strong: true,
  },
  { re: new RegExp(`(?:^|\\n|[.!?]\\s)\\s*(${FULL_NAME})\\s+from\\b`, 'gu'), strong: false },
];

/**
 * One capitalised word at a time (the surname tokens after it are only looked at), so a
 * capitalised word before a name ("Yesterday Anna Schmidt", "The Victoria line") does not hide it.
 */
const BARE_NAME = new RegExp(
  `(?<![\\p{L}'’-])(${NAME_TOKEN})(?![\\p{L}])(?=((?:[ ](?:${PARTICLE}[ ])?${SURNAME_TOKEN}){0,2})(?![\\p{L}]))`,
  'gu',
);
/** Two capitalised words, the second shaped like a surname (a lookahead, so pairs may overlap). */
const SHAPED_PAIR = new RegExp(
  `(?<![\\p{L}'’-])(${NAME_TOKEN})(?=[ ](\\p{Lu}\\p{Ll}+(?:-\\p{Lu}\\p{Ll}+)?)(?![\\p{L}]))`,
  'gu',
);
const NAME_AND_BEFORE = new RegExp(`(?<![\\p{L}'’-])(${NAME_TOKEN})\\s+(?:and|&|und|et|en|y|e|i)\\s+$`, 'u');
const AND_NAME = new RegExp(`^\\s*(?:and|&|or|und|et|en|y|e|i)\\s+(${FULL_NAME})`, 'u');

function firstToken(name: string): string {
  return (name.split(/[ -]/)[0] ?? '').toLowerCase();
}

/**
 * Case-insensitive triggers ("thanks", "THANKS") make the name pattern case-insensitive too, so
 * keep only the leading tokens that really are capitalised (particles like "van" excepted):
 * "version" after "it's" is not a name.
 */
function capitalisedPrefix(raw: string, shouting: boolean): string {
  const parts = raw.split(' ');
  const kept: string[] = [];
  for (const [i, part] of parts.entries()) {
    // "customer ID" is not a name; in a message typed in capitals, "DAVID KIM" is.
    const capitalised =
      /^\p{Lu}(?:\p{Ll}|\.|['’]\p{Lu})/u.test(part) || (shouting && /^\p{Lu}{2,}$/u.test(part));
    const particle = i > 0 && /^\p{Ll}/u.test(part) && PARTICLE_WORD.test(part);
    if (!capitalised && !particle) break;
    kept.push(part);
  }
  while (kept.length > 0 && !/^\p{Lu}/u.test(kept[kept.length - 1] ?? '')) kept.pop();
  return kept.join(' ');
}
const PARTICLE_WORD = /^(?:dela|delos|van|von|der|den|de|la|del|della|da|di|du|le|al|el|bin|ben)$/u;

/** Ordinary words that trail a name in chat ("Anna Thanks", "Dev Asap") but never end one. */
const TRAILING_NOT_NAMES = new Set([...NOT_NAMES].filter((w) => !['an', 'van', 'de', 'la'].includes(w)));

/** Drops trailing tokens that are ordinary words ("Anna Thanks" → "Anna"). */
function trimName(name: string): string {
  const parts = name.split(' ');
  while (parts.length > 1 && TRAILING_NOT_NAMES.has((parts[parts.length - 1] ?? '').toLowerCase()))
    parts.pop();
  return parts.join(' ');
}

/**
 * A name used as a product or place: "the Sofia Chair", "Madison Avenue", "the Ashley mattress".
 * `nameEnd` is where a following product or place noun would start; `checkBefore` is false when
 * the words before the name are the trigger itself ("its tom again").
 */
function looksLikeThing(text: string, start: number, nameEnd: number, checkBefore = true): boolean {
  const before = text.slice(Math.max(0, start - 24), start);
  // One capitalised word may sit between: "the Mona Lisa print", "our Galaxy Tab".
  const beforeWord = before.replace(CAPITALISED_WORD_AT_END, '');
  return (
    (checkBefore &&
      (DETERMINER_BEFORE.test(before) || (beforeWord !== before && DETERMINER_BEFORE.test(beforeWord)))) ||
    THING_AFTER.test(text.slice(nameEnd, nameEnd + 24)) ||
    // "Box 12", "Gate 5", "Model 3": a number right after makes it a thing.
    /^[ ]\d/.test(text.slice(nameEnd, nameEnd + 2)) ||
    COLOUR_AFTER.test(text.slice(nameEnd, nameEnd + 12))
  );
}
const SENTENCE_START = /(?:^|[.!?:]\s+|\n\s*)$/u;

/**
 * Goods people buy: a name followed by one of these ("Calvin Klein boxers", "Jamie Oliver pans"),
 * or by a possessive and one of these ("Uncle Ben's rice", "Aunt Bessie's Yorkshire puddings"),
 * names a brand or product line, not a person — whatever trigger found it, titles included.
 */
const PRODUCT_NOUN =
  '(?:boxers|briefs|underwear|polo|polos|shirts?|t-shirts?|jeans|trousers|chinos|hoodies?|jumpers?|sweaters?|knitwear|suits?|blazers?|swimwear|lingerie|socks|scarf|scarves|belts?|ties?|trainers|loafers|sandals|heels|handbags?|tote|totes|purses?|wallets?|backpacks?|luggage|suitcases?|sunglasses|glasses|frames|watch|watches|perfume|fragrance|aftershave|cologne|eau de|lipstick|mascara|foundation|skincare|moisturi[sz]er|cosmetics|makeup|pans?|saucepans?|cookware|knife|knives|knife block|kettle|toaster|blender|mixer|food processor|air fryer|iron|hoover|vacuum|cookbook|recipe book|box set|boxset|books?|novels?|audiobook|dvds?|blu-ray|toys?|figures?|plush|track pieces|train set|lego|puzzle|cakes?|biscuits?|cookies|macaroons|puddings?|pies?|rice|pasta|sauce|pizza|ice cream|tubs?|chocolates?|cereal|crisps|whisk(?:e)?y|bourbon|gin|vodka|rum|beer|lager|cider|wine|champagne|gift cards?|gift vouchers?|vouchers?|gift set|hamper|range|products|collection|outlet|concession|static site|site generator|theme|plugin|cafe|café|crackers|snacks|bars|sweets|candy|gum|mints|jam|marmalade|bread|tea|coffee|grill|fryer|oven|microwave|fridge|dishwasher|juicer|headphones|earbuds|speaker|shaver|razor|trimmer|hair ?dryer|straighteners|serum|cream|lotion|palette|eyeliner|nail polish|candles?|diffuser|mug|mugs|costume|outfit|merch|tickets|mattress|pillow|duvet|bedding|towels|DVD|CD|vinyl|poster|concert|tour|album|songs?|lyrics|biography|autobiography|memoir|diary|audiobook|documentary|film|movie|edition|charity|donation|conditioner|shampoo|hairspray|line|Day|Weekend|Sale|scissors|drops|tools|cutlery|noodles|spices|supplements|vitamins)';
const PRODUCT_AFTER = new RegExp(
  `^(?:['’]s)?[ ]+(?:\\p{Lu}\\p{L}+[ ]+)?(?:\\d+(?:[ ]?(?:g|kg|ml|cl|l))?[ ]+)?${PRODUCT_NOUN}(?![\\p{L}])`,
  'u',
);
const AMPERSAND_FIRM = /(?<![\p{L}])(\p{Lu}\p{Ll}+)[ ]?&[ ]?(\p{Lu}\p{Ll}+)(['’]s)?(?![\p{L}])/gu;
const TITLE_WORD = new RegExp(`^${TITLE}$`, 'u');
const TITLED = new RegExp(`^${TITLE_PREFIX}\\s`, 'u');
/** "Thomas the Tank Engine", "Alexander the Great": an epithet makes a character, not a customer. */
const EPITHET_AFTER = /^[ ]+the[ ]+\p{Lu}/u;
const CAPITALISED_WORD_AT_END = /\p{Lu}\p{Ll}+\s+$/u;
/** "Victoria Station", "Lincoln Square": a found name whose last word is a place noun names the place. */
const PLACE_LAST_WORD =
  /[ ](?:Station|Airport|Terminal|Avenue|Square|Bridge|Hospital|University|College|Stadium|Arena|Mall|Centre|Center|Street|Road|Junction|Pier|Harbour|Harbor)$/u;
/** "the \"Sophia\" sofa", "our 'Oscar' lamp": a quoted name after a determiner is a product's name. */
const DETERMINER_AND_QUOTE_BEFORE =
  /(?:^|[^\p{L}])(?:the|a|an|this|that|our|your|my|their|de|het|een|der|die|das|le|la|les|el|los|las|il|lo)\s+["“'‘„«]$/iu;
/** A capitalised word just before a found name ("Adidas Stan Smith"); a brand there makes a product line. */
const WORD_BEFORE = /(?:^|[^\p{L}])(\p{Lu}[\p{L}-]*)[ ]+$/u;

/** "Northwind Traders", "Hi Spotify": an organisation, judged on the capitalised words as typed. */
function namesOrganisation(phrase: string): boolean {
  const tokens = phrase.toLowerCase().split(/[ ]+/);
  return BRANDS.has(tokens[0] ?? '') || tokens.some((t) => COMPANY_WORDS.has(t.replace(/[.,]$/, '')));
}

function knownFirstName(first: string): boolean {
  return FIRST_NAMES.has(first) && !AMBIGUOUS_NAMES.has(first);
}

export function detectPersons(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  const shouting = !/\p{Ll}/u.test(text);
  for (const { re, strong, lowerCase, titled, anyName, lexicon, label } of TRIGGERS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const raw = m[1] ?? m[2] ?? '';
      const start = m.index + m[0].lastIndexOf(raw);
      // Title triggers are case-sensitive already, and "Mr. and Mrs. X" keeps its lower-case "and".
      let name = trimName(lowerCase || titled ? raw : capitalisedPrefix(raw, shouting));
      const first = firstToken(titled ? raw.replace(/^(?:\S+\s+(?:and|&|und|et|en|y)\s+)?\S+\s+/, '') : raw);
      // Lower-case names need the lexicon for every word kept: "its tom again" → "tom".
      // …unless the second word is clearly a surname: shaped like one, not ASCII ("yılmaz"), or ends the clause.
      if (lowerCase && !strong) {
        const [given = '', second] = name.split(' ');
        const after = text.slice(start + name.length, start + name.length + 2);
        const surname =
          second !== undefined &&
          !NOT_NAMES.has(second) &&
          (SURNAME_SHAPE.test(second) ||
            /[^\p{ASCII}]/u.test(second) ||
            /^(?:o['’]|mc|mac)\p{Ll}/u.test(second) ||
            /^(?:$|[,.!?])/.test(after));
        name = surname ? name : given;
      }
      // The trigger's own words may come right before the name ("its tom", "this is Anna").
      const nameFirst = !/\p{L}/u.test(text.slice(m.index, start));
      const accepted =
        name.length > 1 &&
        // "Will Thompson from accounts": an ambiguous given name with a surname after it, in context.
        (titled ||
          anyName ||
          !NOT_NAMES.has(first) ||
          (strong && AMBIGUOUS_NAMES.has(first) && name.includes(' '))) &&
        (!(anyName || lexicon) || FIRST_NAMES.has(first) || AMBIGUOUS_NAMES.has(first)) &&
        !namesOrganisation(lowerCase || titled ? name : capitalisedPrefix(raw, shouting)) &&
        (label || text[start + name.length] !== ':') &&
        (titled || !looksLikeThing(text, start, start + name.length, nameFirst)) &&
        (strong || (lowerCase ? knownFirstName(first.split('-')[0] ?? '') : FIRST_NAMES.has(first)));
      // Resume after an accepted name, or at a rejected one: a word ("Thanks,\nCheers, Anna") or a
      // trimmed tail ("Thanks, Poppy Thanks, Alfie") may itself start the next match.
      re.lastIndex = Math.max(m.index + 1, accepted ? start + name.length : start);
      if (!accepted) continue;
      spans.push({ type: 'PERSON', start, end: start + name.length });
    }
  }
  for (const m of text.matchAll(BARE_NAME)) {
    const whole = (m[1] ?? '').toLowerCase();
    // "Pieter-Jan", "Karl-Heinz": a hyphenated given name counts by its first part.
    const first = FIRST_NAMES.has(whole) ? whole : (whole.split('-')[0] ?? '');
    if (!FIRST_NAMES.has(first)) continue;
    const surname = trimName(`${m[1]}${m[2] ?? ''}`);
    if (AMBIGUOUS_NAMES.has(first) && surname === m[1]) continue;
    if (namesOrganisation(`${m[1]}${m[2] ?? ''}`)) continue;
    // "Summer Sale ends…", "Georgia Pacific paper…": at a sentence start an ambiguous name with a
    // capitalised word after it is more often a brand; context triggers still find "Grace Kelly said".
    if (AMBIGUOUS_NAMES.has(first) && SENTENCE_START.test(text.slice(Math.max(0, m.index - 3), m.index)))
      continue;
    // "Madison Avenue", "Victoria Station": a place-like name is judged by the word after it.
    const nameEnd = m.index + (AMBIGUOUS_NAMES.has(first) ? (m[1] ?? '') : surname).length;
    if (looksLikeThing(text, m.index, nameEnd)) continue;
    spans.push({ type: 'PERSON', start: m.index, end: m.index + surname.length });
  }
  for (const m of text.matchAll(SHAPED_PAIR)) {
    const [first, second] = [(m[1] ?? '').toLowerCase(), (m[2] ?? '').toLowerCase()];
    if (NOT_NAMES.has(first) || NOT_NAMES.has(second) || NOT_SURNAMES.has(second)) continue;
    if (namesOrganisation(`${m[1]} ${m[2]}`)) continue;
    // "Tell Svetlana": a word before a given name, which the lexicon pass handles on its own.
    if (FIRST_NAMES.has(second) && !FIRST_NAMES.has(first)) continue;
    if (!SURNAME_SHAPE.test(m[2] ?? '') || (m[2] ?? '').length < 5) continue;
    const end = m.index + (m[1] ?? '').length + 1 + (m[2] ?? '').length;
    if (looksLikeThing(text, m.index, end)) continue;
    spans.push({ type: 'PERSON', start: m.index, end });
  }
  // "Noor and Layla": a given name the lexicon knows joined before a found one.
  for (const s of [...spans]) {
    const m = NAME_AND_BEFORE.exec(text.slice(Math.max(0, s.start - 40), s.start));
    const word = m?.[1] ?? '';
    if (!m || !(FIRST_NAMES.has(word.toLowerCase()) || AMBIGUOUS_NAMES.has(word.toLowerCase()))) continue;
    if (spans.some((o) => o.end === s.start - m[0].length + word.length)) continue;
    const start = s.start - m[0].length;
    spans.push({ type: 'PERSON', start, end: start + word.length });
  }
  // "Ewa and Piotr": a capitalised name joined to a found one.
  for (const s of [...spans]) {
    const m = AND_NAME.exec(text.slice(s.end));
    if (!m) continue;
    const name = trimName(capitalisedPrefix(m[1] ?? '', shouting));
    if (!name || NOT_NAMES.has(firstToken(name))) continue;
    const start = s.end + m[0].length - (m[1] ?? '').length;
    const endsClause = /^\s*(?:$|\n|[,.!?;)])/.test(text.slice(start + name.length));
    // "Greta and Linus both use it": a single capitalised word joined to a name is a name too,
    // unless it is a product, place or organisation.
    const joinedWord = !name.includes(' ') && !looksLikeThing(text, start, start + name.length, false);
    if (namesOrganisation(name)) continue;
    if (FIRST_NAMES.has(firstToken(name)) || endsClause || joinedWord)
      spans.push({ type: 'PERSON', start, end: start + name.length });
  }
  // Context and lexicon often find the same name, or a part of it ("Müller told me" inside
  // "Sabine Müller told me"); report each name once, whole.
  const brands = [...text.matchAll(PERSON_NAMED_BRAND)].map((m) => [m.index, m.index + m[0].length]);
  // "Ernst & Young", "Procter & Gamble", "Ben & Jerry's": two names joined by "&" are a firm or a
  // brand unless both are given names ("Anna & Tom").
  for (const m of text.matchAll(AMPERSAND_FIRM)) {
    const [a = '', b = ''] = [m[1]?.toLowerCase(), m[2]?.toLowerCase()];
    if (TITLE_WORD.test(m[1] ?? '') || TITLE_WORD.test(m[2] ?? '')) continue;
    if (m[3] || !(FIRST_NAMES.has(a) && FIRST_NAMES.has(b))) brands.push([m.index, m.index + m[0].length]);
  }
  const seen = new Set<string>();
  return spans.filter((s) => {
    if (brands.some(([start = 0, end = 0]) => s.start < end && start < s.end)) return false;
    // A product line after its brand: "Adidas Stan Smith", "Christian Louboutin So Kate".
    if (brands.some(([, end = 0]) => /^[ ]+(?:\p{Lu}\p{Ll}*[ ]+)?$/u.test(text.slice(end, s.start))))
      return false;
    const wordBefore = WORD_BEFORE.exec(text.slice(Math.max(0, s.start - 24), s.start))?.[1] ?? '';
    if (BRANDS.has(wordBefore.toLowerCase())) return false;
    if (PLACE_LAST_WORD.test(text.slice(s.start, s.end))) return false;
    if (DETERMINER_AND_QUOTE_BEFORE.test(text.slice(Math.max(0, s.start - 12), s.start))) return false;
    const after = text.slice(s.end, s.end + 40);
    // "Anna's grill" is Anna's; "Uncle Ben's rice", "Mrs Crimble's macaroons" are brands.
    const possessiveOfPerson = /^['’]s/u.test(after) && !TITLED.test(text.slice(s.start, s.end));
    if ((PRODUCT_AFTER.test(after) && !possessiveOfPerson) || EPITHET_AFTER.test(after)) return false;
    const key = `${s.start}:${s.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return !spans.some((o) => o.start <= s.start && o.end >= s.end && o.end - o.start > s.end - s.start);
  });
}
