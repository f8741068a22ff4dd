import type { EntitySpan } from './entity.js';

/**
 * Street addresses in the formats of the locales we serve, with the unit, postal code and city
 * that follow them. Each form anchors on something an order or product code does not have: a
 * street-type word next to a house number —
 * - number first: "350 Fifth Avenue", "1200 Pennsylvania Ave NW", "14 MG Road" (US, UK, IE, CA,
 *   AU, IN), "18 avenue Jean Jaurès" (FR);
 * - street first with a suffix: "Lindenstraße 4", "Keizersgracht 123-II", "Drottninggatan 53",
 *   "Vesterbrogade 12", "Mannerheimintie 12 B 7" (DE, NL, Nordic, FI);
 * - street first with a leading type word: "Calle Mayor 15", "Via Roma 21", "Rua Augusta 274",
 *   "ul. Marszałkowska 84/92", and "Am Sonnenhang 5" when a postal code follows (ES, IT, PT, PL, DE);
 * - PO boxes ("PO Box 1234", "Postfach 10 20"), and Japanese block numbers ("3-12-1 Shibuya,
 *   Shibuya-ku") —
 * then an optional unit and an optional postal tail (US ZIP, UK/CA postcodes, 4–5 digit codes
 * before or after the city, SE "111 21", PL "00-514", PT "1100-053", JP "150-0002", IN PIN).
 */
const WORD = "[\\p{Lu}][\\p{L}'’.-]*";
/** Street name words: capitalised, or ordinals ("W 33rd St"). */
const NAME_WORDS = `(?:(?:${WORD}|\\d{1,3}(?:st|nd|rd|th))\\s+){0,3}`;
// Only an abbreviation takes its dot: "Baker Street." ends a sentence, and the restored answer
// must not gain a second full stop.
const STREET_TYPE =
  '(?:(?:St|Ave|Av|Rd|Blvd|Ln|Dr|Ct|Pl|Terr|Cres|Sq|Pkwy|Hwy|Cir)\\.?|Street|Avenue|Road|Boulevard|Lane|Drive|Court|Way|Place|Terrace|Close|Crescent|Square|Parkway|Highway|Gardens|Row|Mews|Hill|Circle|Trail|Parade|Esplanade|Quay|Walk|Green|Grove|Rise|View|Wharf|Loop|Pike|Alley|Plaza|Ridge|Bend|Crossing|Heights|Park|Marg|Nagar|Path|Salai|Chowk)';
const DIRECTION = '(?:\\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\b)?';
const UNIT =
  '(?:,?\\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|#)\\.?\\s*#?[\\w-]{1,6}|,\\s*\\d{1,2}\\s?[º°ª]\\s?(?:izq(?:da|uierda)?\\.?|dcha\\.?|der(?:echa)?\\.?|[A-Za-z0-9](?![\\p{L}\\d]))?|,\\s*(?:bus|boîte|Top|Stiege|Tür)\\s*\\d{1,4})';
/** House numbers: "12", "12a", "123-II", "84/92", "12 B 7" (staircase and flat), "4 bis". */
const HOUSE_NUMBER =
  '\\d{1,5}(?:\\s[A-Z]\\s\\d{1,3}(?!\\d)|\\s?[a-zA-Z](?![\\p{L}:]|\\.\\s*\\d))?(?:[-/](?:\\d{1,4}|[IVX]{1,4}|hs|bg|[A-Za-z])(?![\\p{L}\\d])){0,2}';
/** "350 Fifth Avenue", "2/45 Collins St" (unit/number, AU), "1585 Broadway". */
const NUMBER_FIRST = `\\b(?:\\d{1,4}\\/)?\\d{1,5}[A-Za-z]?,?\\s+(?:${NAME_WORDS}(?:${WORD}|\\d{1,3}(?:st|nd|rd|th))\\s+${STREET_TYPE}(?![\\p{L}])${DIRECTION}|Broadway\\b)`;
const FRENCH =
  "\\b(?:\\d{1,4}\\/)?\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:[Rr]ue|[Aa]venue|av\\.|[Bb]oulevard|bd|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Rr]oute|[Cc]ours|[Pp]lace|[Cc]haussée|[Rr]ue)\\s+(?:(?:de\\s+la|de|du|des|la|le)\\s+|l'|d')?" +
  `${WORD}(?:[\\s-]${WORD}){0,3}`;
const STREET_SUFFIX =
  '(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|straat|gracht|laan|plein|kade|dijk|singel|steeg|markt|gatan|gata|gaten|gate|vägen|vegen|veien|väg|vei|gade|vej|tie|katu|polku|kuja|vegur|stígur|braut)';
const STREET_FIRST = `(?:\\b${WORD}\\s)?\\b\\p{Lu}\\p{L}*${STREET_SUFFIX}(?:\\s+${HOUSE_NUMBER})`;
/** The type as a separate word after the name: "Berliner Straße 5", "Sankt Annæ Plads 13", "Bağdat Caddesi 145" (DE, DK, SE, TR). */
const SEPARATE_SUFFIX = `\\b(?:${WORD}\\s+){1,2}(?:Straße|Strasse|Str\\.|Weg|Allee|Platz|Gasse|Ring|Damm|Plads|Gade|Vej|Torv|Allé|Gata|Gatan|Vägen|Caddesi|Cad\\.|Sokak|Sokağı|Sk\\.|Bulvarı)\\s+(?:No:?\\s?)?${HOUSE_NUMBER}`;
/** A street type word first: Calle Mayor 15, Via Roma 21, Rua Augusta 274, ul. Marszałkowska 84/92. */
const TYPE_FIRST = `\\b(?:calle|rua|piazza|corso|viale|avenida|Calle|C\\/|Avenida|Avda\\.?|Av\\.|Paseo|Plaza|Carrer|Camino|Ronda|Travesía|Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Strada|Rua|Praça|Travessa|Alameda|Estrada|ul\\.|ulica|al\\.|aleja|os\\.|pl\\.|Rue|Avenue|Boulevard|Chaussée|Quai|Chemin|Route|Allée|Jl\\.|Jalan|Jln\\.|Str\\.|Strada|Bd\\.|Bv\\.|Bulevardul|Calea|Șos\\.|Sos\\.|Aleea|Splaiul)\\s+(?:(?:de(?:l| la| los| las)?|da|do|dos|das|di|della|dei|degli|du|des|de la)\\s+|d['’]|l['’])?${WORD}(?:\\s+(?:(?:de(?:l| la)?|da|do|di|della)\\s+)?${WORD}){0,3},?\\s+(?:n\\.?º?\\s*|No\\.?\\s*|nr\\.?\\s*)?${HOUSE_NUMBER}`;
/** German streets named by a preposition ("Am Sonnenhang 5", "An der Alster 12"): only with a postal code after. */
const PREPOSITION_FIRST = `\\b(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Unter den|Hinter der|Op de|Aan de|In de)\\s+${WORD}(?:\\s${WORD})?\\s+${HOUSE_NUMBER}(?=,?\\s*\\d{4,5}\\s+\\p{Lu})`;
const PO_BOX =
  '\\b(?:P\\.?\\s?O\\.?\\s?Box|Post(?:al)?\\s+Box|Postfach|Postbus|Apartado(?:\\s+de\\s+Correos)?|Casella\\s+Postale|Boîte\\s+Postale|BP|CP)\\s*\\d{1,6}(?:-\\d{3,5}|\\s\\d{2,4})?';
/** Indian flats: "B-204, Sunshine Apartments, Andheri East" — only with a PIN code after (see ADDRESS). */
const INDIAN_FLAT = `\\b(?:[A-Z]-?\\d{1,4}|\\d{1,4}[A-Z]?),\\s*(?:${WORD}\\s){0,3}(?:Residency|Apartments?|Towers?|House|Court|Building|Complex|Heights|Enclave|Society|Colony|Layout|Villas?|Niwas|Sadan|Bhavan)(?:,\\s*(?:\\d{1,4}(?:st|nd|rd|th)?\\s)?${WORD}(?:\\s${WORD}){0,2}(?:\\s\\d{1,3}(?![\\d]))?){0,3}`;
/** Indian plots and houses: "Plot 44, Sector 18, Gurugram 122015" — only with a PIN code after (see ADDRESS). */
const INDIAN_PLOT = `\\b(?:Plot|House|H\\.?\\s?No\\.?|Door|Shop)\\s*(?:No\\.?\\s*)?[\\w/-]{1,6},\\s*(?:[\\p{L}\\d][\\p{L}\\d .'’-]{1,40}?,\\s*){0,3}`;
/** Japanese: "3-12-1 Shibuya, Shibuya-ku" (block numbers, then the ward or city). */
const JAPANESE = `\\b\\d{1,4}-\\d{1,4}(?:-\\d{1,4})?\\s+${WORD}(?:,\\s*${WORD}-(?:ku|shi|cho|machi|gun|mura))`;
const UNIT_FIRST = `(?:\\b(?:Flat|Apt|Apartment|Unit|Suite|Room|Shop|House|Plot|Level|Floor|Lvl|Etage)\\.?\\s*(?:No\\.?\\s*)?\\w{1,5},\\s*(?:(?:${WORD}\\s){0,2}(?:Residency|Apartments|Towers?|House|Court|Building|Complex|Heights|Enclave|Block|Mansions|Lodge)\\s?\\w{0,3},\\s*)?)`;
/** City names: capitalised words without dots, so "Berlin. Thanks" stops at Berlin, and not in capitals, so "Leeds LS10 1AB" leaves the postcode to the tail. */
const CITY_WORD = "[\\p{Lu}][\\p{Ll}'’][\\p{L}'’-]*";
const CITY = `${CITY_WORD}(?:[ -]${CITY_WORD}){0,2}`;
const POSTAL_TAIL = [
  `,\\s*${CITY},?\\s+[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?`, // US: Springfield, IL 62704
  `,\\s*${CITY},?\\s+[A-Z]{2}\\s+[A-Z]\\d[A-Z]\\s?\\d[A-Z]\\d\\b`, // CA: Toronto, ON M5H 2N2
  `,\\s*${CITY},?\\s+(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\\s+\\d{4}\\b`, // AU: Sydney NSW 2000
  `,\\s*${CITY},?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b`, // UK: London NW1 6XE
  `,?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b`, // UK postcode directly
  `(?:,\\s*${CITY})?,\\s*${CITY}\\s+\\d{3}-\\d{4}\\b`, // JP: Tokyo 150-0002
  `,\\s*\\d{4}-\\d{3}\\s+${CITY}`, // PT: 1100-053 Lisboa
  `,\\s*\\d{2}-\\d{3}\\s+${CITY}`, // PL: 00-514 Warszawa
  `,\\s*\\d{3}\\s\\d{2}\\s+${CITY}`, // SE: 111 21 Stockholm
  `,\\s*(?:[A-Z]{1,2}-)?\\d{4,6}\\s+${CITY}(?:\\s[A-Z]\\b)?`, // DE/FR/ES/IT/AT/CH/DK/NO/RO: 10115 Berlin, 1620 København V
  `,\\s*\\d{4}\\s?[A-Z]{2}\\s+${CITY}`, // NL: 1015 CJ Amsterdam
  `,\\s*${CITY}\\s*[-–]?\\s*\\d{6}\\b`, // IN: Bengaluru 560001
  `,\\s*(?:Dublin|D)\\s?\\d{1,2}\\b`, // IE: Dublin 2
  `,\\s*${CITY}\\s+\\d{4,5}\\b`, // ZA/NZ/AU/BE without a state: Cape Town 8001
  // city alone — not a unit abbreviation ("…, Bât. B"), which the unit parts take with its value
  `,\\s*(?!(?:Bât|Bat|Apt|App|Esc|Bl|Sc|Ap|Int|Hse)\\.)${CITY}(?=,|\\.(?!\\s*\\d)|\\s*$)`,
].join('|');
/**
 * Streets of any name when a full postal tail follows, so street types no list knows still count:
 * "Storgata 10, 0155 Oslo", "Rynek Główny 1, 31-042 Kraków", "Váci utca 12, 1052 Budapest" (a
 * name, perhaps ending in a lower-case type word, then a number, then a European
 * postal code and city), "1 Infinite Loop, Cupertino, CA 95014" (number then name, then a US, CA,
 * AU or UK tail). The tail is what makes these addresses, so it is required here.
 */
/** Street type words people write in lower case after the name: "Karl Johans gate 22", "Váci utca 12". */
const LOWER_TYPE =
  '(?:gate|gata|gatan|gaten|utca|út|körút|tér|náměstí|ulice|třída|nábřeží|námestie|mnt|al\\.|iela|ulica|ul\\.|tänav|katu|tie|vej|vei|veien|vegen|gade|straat|weg|laan|street|road|st\\.?|rd\\.?)';
const STRONG_TAIL_AFTER_NAME = [
  `\\d{4,6}\\s+${CITY}(?:\\s[A-Z]\\b)?`,
  `\\d{3}\\s\\d{2}\\s+${CITY}`,
  `\\d{2}-\\d{3}\\s+${CITY}`,
  `\\d{4}-\\d{3}\\s+${CITY}`,
  `\\d{4}\\s?[A-Z]{2}\\s+${CITY}`,
].join('|');
const STRONG_TAIL_AFTER_NUMBER = [
  `${CITY},?\\s+[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?`,
  `${CITY},?\\s+[A-Z]{2}\\s+[A-Z]\\d[A-Z]\\s?\\d[A-Z]\\d\\b`,
  `${CITY},?\\s+(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\\s+\\d{4}\\b`,
  `${CITY},?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b`,
].join('|');
const ANY_NAME_THEN_NUMBER = `(?<![\\p{L}\\d])(?:${WORD}[ \\t]+){0,2}(?:${WORD}|(?<=\\p{L}[ \\t])${LOWER_TYPE})[ \\t]+${HOUSE_NUMBER}(?:\\.?,?[ ]+[^,\\n]{1,14})?,\\s*(?:${STRONG_TAIL_AFTER_NAME})`;
const NUMBER_THEN_ANY_NAME = `\\b\\d{1,5}[A-Za-z]?\\s+(?:${WORD}\\s+){0,2}${WORD}${UNIT}?,\\s*(?:${STRONG_TAIL_AFTER_NUMBER})`;

/**
 * A unit in a named building or estate, then the city: "Unit 12B, Riverside Business Park, Leeds
 * LS10 1AB", "Flat 6, Block C, Greenwood Estate, Nairobi".
 */
const BUILDING_ADDRESS = `\\b(?:Flat|Apt|Apartment|Unit|Suite|House|Plot|Shop|Office)\\.?\\s*\\w{1,5},\\s*(?:Block\\s+\\w{1,3},\\s*)?(?:${WORD}\\s+){0,3}(?:Park|Estate|Centre|Center|Plaza|Mill|Works|Yard|Wharf|House|Court|Building|Complex|Tower|Towers|Heights|Residency|Apartments|Mansions|Gardens|Village)(?:,\\s*(?:${WORD}\\s+){0,2}(?:Road|Street|Avenue|Lane|Drive|Way))?,\\s*${CITY}(?:,?\\s+(?:[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b|[A-Z]{2}\\s+\\d{5}|\\d{4,6}\\b))?`;

/** Korean road names: "45 Teheran-ro 4-gil", "23 Olympic-ro 35-gil". */
const KOREAN = `\\b\\d{1,4}(?:-\\d{1,4})?\\s+\\p{Lu}\\p{L}*-(?:ro|gil|daero)(?:\\s+\\d{1,3}(?:beon)?-gil)?(?![\\p{L}])`;
/** Chinese romanised streets: "No. 1 Jianguomenwai Dajie", "No. 88 Nanjing Road". */
const CHINESE = `\\bNo\\.?\\s*\\d{1,5},?\\s+(?:${WORD}\\s+){0,2}(?:Dajie|Jie|Lu|Xiang|Hutong|Dao|Road|Street|Avenue)(?![\\p{L}])`;
/** A number and a street of any name, then a ward or district: "12 Nguyen Hue, Ben Nghe Ward" (VN, ID, TH). */
const WARD_AFTER = `\\b\\d{1,5}[A-Za-z]?(?:\\/\\d{1,4})?\\s+(?:${WORD}\\s+){0,3}${WORD},\\s*(?:(?:${WORD}\\s+){0,2}${WORD},\\s*)?(?:${WORD}\\s+){0,3}(?:Ward|District|Commune|Phường|Quận|Huyện|Kelurahan|Kecamatan|Subdistrict|Sub-district|Tambon|Amphoe|Khet)(?![\\p{L}])`;
/** A street without a number, then towns and a UK or numeric postcode: "Church Lane, Little Snoring, Fakenham NR21 0AJ". */
const UNNUMBERED_STREET = `\\b(?:${WORD}\\s+){1,2}${STREET_TYPE}(?![\\p{L}]),\\s*${CITY}(?:,\\s*${CITY}){0,2},?\\s+(?:[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}|\\d{5,6})\\b`;
/** Lower-case US addresses need the full tail: "88 west 3rd st apt 5r new york ny 10012". */
const LOWER_US = `\\b\\d{1,5}\\s+(?:(?:north|south|east|west|n|s|e|w)\\s+)?(?:[a-z0-9]+\\s+){0,2}(?:st|street|ave|avenue|rd|road|blvd|ln|lane|dr|drive|way|ct|court|pl|place|pkwy)\\.?(?:\\s+(?:apt|unit|suite|ste|#)\\.?\\s*#?\\w{1,5})?,?\\s+(?:[a-z]+\\s+){1,3}[a-z]{2},?\\s+\\d{5}(?:-\\d{4})?\\b`;

/** Colombian grid addresses: "Carrera 7 # 71-21", "Calle 50 #23-45". */
const GRID = `\\b(?:Calle|Carrera|Cra\\.?|Cl\\.?|Avenida|Av\\.|Diagonal|Transversal|Tv\\.)\\s+\\d{1,3}[A-Z]?(?:\\s?bis)?\\s*(?:#|No\\.?|N°)\\s*\\d{1,3}[A-Z]?-\\d{1,3}`;
/** Japanese chōme: "4 Chome-2-8 Shibakoen". */
const CHOME = `\\b\\d{1,2}\\s?Chome-\\d{1,3}(?:-\\d{1,3})?\\s+${WORD}`;

const ADDRESS = new RegExp(
  `${GRID}|${CHOME}|${KOREAN}|${CHINESE}|${WARD_AFTER}|${UNNUMBERED_STREET}|${LOWER_US}|${UNIT_FIRST}?(?:${NUMBER_FIRST}|${FRENCH}|${STREET_FIRST}|${SEPARATE_SUFFIX}|${TYPE_FIRST}|${PREPOSITION_FIRST}|${JAPANESE}|${PO_BOX}(?=,?\\s*(?:${CITY_WORD}|\\d{4,5})))${UNIT}?(?:${POSTAL_TAIL})?|(?:${INDIAN_FLAT},\\s*|${INDIAN_PLOT})${CITY}\\s*[-–]?\\s*\\d{6}\\b|${UNIT_FIRST}?(?:${ANY_NAME_THEN_NUMBER}|${NUMBER_THEN_ANY_NAME})|${BUILDING_ADDRESS}`,
  'gu',
);

/**
 * Context: after "my address is", "ship to", "deliver to", "I live at", "Lieferadresse:"… a
 * house number next to capitalised words is a street even with no street type or postal code
 * ("ship to Storgata 10 in Oslo"), with up to two more comma-separated parts (unit, district,
 * city). Months and clock times are not house numbers ("deliver to Berlin before 12 June").
 */
const ADDRESS_CUE =
  /\b(?:(?:my|our|the|new|home|delivery|billing|shipping|postal|correct|old)\s+address(?:\s+is|\s*:)?|address\s*:|ship(?:ped)?\s+(?:it\s+|them\s+|this\s+)?to|deliver(?:ed)?\s+(?:it\s+|them\s+)?to|send\s+(?:it\s+|them\s+|this\s+)?to|(?:I|we)\s+live\s+at|living\s+at|(?:moved|moving)\s+to|lieferadresse\s*:?|adresse\s*:?|adres\s*:?|direcci[oó]n\s*:?|indirizzo\s*:?|bezorgadres\s*:?)\s+/giu;
const CUED_STREET = new RegExp(
  `^(?:${UNIT_FIRST})?(?:\\d{1,5}[A-Za-z]?(?:[-/]\\d{1,4})?,?[ ]+(?:${WORD}[ ]+){0,3}${WORD}|(?:${WORD}[ ]+){0,3}(?:${WORD}|${LOWER_TYPE})[ ]+${HOUSE_NUMBER})(?:,[ ]*(?:[\\w/-]{1,8}[ ]+)?(?:${CITY_WORD}|\\d{3,6})(?:[ ]+(?:${CITY_WORD}|\\d{2,6}))*){0,3}`,
  'u',
);
const NOT_A_STREET =
  /\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Order|Invoice|Ticket|Case|Room|Gate|Platform|Terminal|Page|Step|Item|Box|Pack)\b|\d[:.]\d{2}\b/u;

/**
 * Address parts that follow a street in many countries' formats, each after a comma, a dash, a
 * slash or a space. Strong parts (units, floors, postal codes, state codes) always belong to the
 * address; weak parts (district and city names) only when a strong part follows or the clause ends
 * after them, so "…, Dublin 2, D02 VF65" and "…, Osu, Accra | Tel" are taken whole but a
 * capitalised word that merely follows an address is not.
 */
const PART_SEPARATOR = /(?:\.?\s*[,/]\s*|[ \t]*\n[ \t]*|\s+[-–]\s+|[ ]+|\.[ ]+)/y;
const UNIT_PART =
  /(?:(?:bât|bâtiment|bat|app|appt|cj|conj|hse|em|ajtó|apt|apto|apartment|apartamento|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|bloco|bloque|block|blk|tower|torre|villa|int|interno|scala|esc|escalera|piso|planta|puerta|pta|portal|bus|boîte|bte|top|stiege|tür|lok|lokal|daire|kat|door|office|casa|dpto|depto|andar|sala|street|st|lgh|kv|korp|bl|sc|et|ap|piso|m(?=\.)|d(?=[.:]))(?![\p{L}])\.?\s*(?:[:#]|no\.?)?\s*[\p{L}\d-]{1,5}(?![\p{L}\d])|RT\s*\d{1,3}\s*\/\s*RW\s*\d{1,3})/iuy;
const FLOOR_PART =
  /(?:(?:bis|ter|quater)(?![\p{L}])|\d{1,2}(?:e|er|ème|eme)\s+étage|\d{1,2}\s+tr(?![\p{L}])|(?:Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus|Quergebäude)(?:\s+\d{1,2}\.\s?(?:OG|Etage|Stock))?|(?:àtic|ático|atico)\s+\d{1,2}[ªa]?(?![\p{L}])|\d{1,2}\.?\s?[º°ª]\.?(?:\s*(?:\d{1,2}\s?[º°ª]|izq(?:da|uierda)?|izda|dta|dcha|der(?:echa)?|esq|dto|drt[ao]?|frente|centro|planta|andar|piso|[A-Z])(?![\p{L}]))?\.?|(?:bajo|entlo|entresuelo|principal|ático|atico|sótano|r\/c)(?:\s+[A-Z\d](?![\p{L}\d]))?|(?:\d{1,2}\.|st\.|kl\.)\s?(?:th|tv|mf|sal|OG|Etage|Stock)\.?(?:\s+(?:links|rechts|Mitte|li|re)\.?)?(?![\p{L}])|(?:planta|andar|piso|[Ee]sq|[Ii]zq(?:da|uierda)?|[Ii]zda|[Dd]cha|[Dd]to|[Dd]rt[ao]?|[Dd]er(?:echa)?)\.?(?![\p{L}]))/uy;
const POSTAL_PART = new RegExp(
  `(?:(?:CEP|PLZ|CP|C\\.P\\.|〒)\\s*)?(?:\\d{5}-\\d{3}|\\d{3}-\\d{4}|\\d{2}-\\d{3}|\\d{4}-\\d{3}|\\d{3}\\s\\d{2}(?!\\d)|\\d{4}\\s?[A-Z]{2}(?![\\p{L}])|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}|[ACDEFHKNPRTVWXY]\\d[\\dW]\\s?[\\dA-Z]{4}|[A-Z]\\d[A-Z]\\s?\\d[A-Z]\\d|[A-Z]\\d{4}(?:[A-Z]{3})?|\\d{3,7})(?![\\p{L}\\d-])(?:\\s+${CITY}(?:\\s[A-Z](?![\\p{L}]))?)?`,
  'uy',
);
const STATE_PART =
  /(?:\([A-Z]{2,3}\)|(?!(?:TP|IBAN|BIC|SWIFT|VAT|TEL|FAX|DOB|SSN|PIN|OK|PS|ID|NB|TV|PC|PM|AM|ASAP|THX|PLS|FYI|BTW|LOL|ETA|ATTN|NOTE|ASAP)(?![A-Z]))[A-Z]{2,4}|(?:Jal|Mich|Gto|Qro|Pue|Ver|Chih|Son|Coah|Tamps|Yuc|Oax|Chis|Gro|Mor|Hgo|Ags|Dgo|Zac|Sin|Nay|Tab|Camp|Edo\.\s?Méx)\.)(?:\s+\d{5}(?:-\d{4})?)?(?![\p{L}\d])/uy;
const PLACE_PART = new RegExp(
  `(?:(?:Col\\.|Colonia|Bairro|Co\\.|County|TP\\.|Tp\\.)\\s+)?(?:(?:im|am|an der|upon|sur|en|de|del|do|da|di)[ ])?${CITY_WORD}(?:(?:[ -]|[ ](?:de|do|da|dos|das|del|di|im|am|an der|on|upon|sur|en|la|le)[ ])${CITY_WORD}){0,4}(?:[ ]\\d{1,4}(?:-\\d{1,4}){0,2}(?![\\d\\p{L}]))?`,
  'uy',
);
const DISTRICT_NUMBER = /\d{1,2}(?![\d\p{L}])/uy;
const NUMBERED_THING_BEFORE =
  /(?:^|[^\p{L}])(?:chapter|section|page|step|item|article|rule|part|volume|vol\.|episode|season|series|level|gate|platform|row|seat|table|track|lesson|module|figure|fig\.|clause|paragraph|verse|act|scene|round|stage|phase|question|exercise|day|week|year|version|v\.)[ ]?$/iu;
/** Words that start a new sentence or field, never an address part. */
const NOT_PLACES =
  /^(?:Thanks|Thank|Cheers|Regards|Please|Pls|Tel(?![ ]\p{Lu})|Phone|Mobile|Email|E-Mail|Name|Call|Hi|Hello|Best|Kind|Many|Sorry|But|And|Or|The|My|Our|Is|It|This|That|Can|Could|Would|Will|Ship|Send|Deliver|Order|Ticket|Attn|Contact|Ask|Please)(?![\p{L}])/u;
const CLAUSE_END =
  /^(?:\s*(?:$|[.;!?)(\]|\n—–]|,\s*(?:\p{Ll}|\+|\d|\p{Lu}\p{Ll}*['’]|(?:Thanks|Cheers|Regards|Please)\b))|[ ]+\p{Ll}|[ ]+[-–][ ]+\p{Ll})/u;

function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.exec(text) ? re.lastIndex : -1;
}

/** Extends an address over the unit, floor, district, postal code, city and state parts after it. */
function extendAddress(text: string, end: number): number {
  let committed = end;
  let at = end;
  for (let parts = 0; parts < 8; parts++) {
    const sepEnd = matchAt(PART_SEPARATOR, text, at);
    const start = sepEnd === -1 ? at : sepEnd;
    const byComma = /[,/]|[-–]/.test(text.slice(at, start));
    // On a new line only an unmistakable part continues the address: a postcode with letters
    // ("SW1A 1AA") or a code and a city ("80331 München"), or a town before one — never a bare
    // number, which may be the phone on the next line.
    const newLine = text.slice(at, start).includes('\n');
    const postalEnd = matchAt(POSTAL_PART, text, start);
    const strongEnd = newLine
      ? /\p{L}/u.test(text.slice(start, postalEnd))
        ? postalEnd
        : -1
      : Math.max(
          matchAt(UNIT_PART, text, start),
          matchAt(FLOOR_PART, text, start),
          postalEnd,
          matchAt(STATE_PART, text, start),
        );
    if (strongEnd > start) {
      committed = at = strongEnd;
      continue;
    }
    // "Bât. B", "út 61. II. em.": after an abbreviation's or ordinal's dot only a strong part
    // continues; a capitalised word after a dot starts the next sentence.
    if (/^\.[ ]+$/.test(text.slice(at, start))) break;
    if (NOT_PLACES.test(text.slice(start, start + 12))) break;
    // "Dublin 12", "Al Barsha 2": a district number after the place.
    const placeEnd = Math.max(
      matchAt(PLACE_PART, text, start),
      byComma ? -1 : matchAt(DISTRICT_NUMBER, text, start),
    );
    if (placeEnd <= start) break;
    at = placeEnd;
    // "Freiburg im Breisgau", "Ciudad de México": a place joined by a particle continues the city.
    const joined = !byComma && /^[\p{Ll}\d]/u.test(text.slice(start, start + 1));
    if ((byComma || joined) && CLAUSE_END.test(text.slice(at, at + 12))) committed = at;
  }
  return committed;
}

/**
 * What may come before a street and still be the address: units and buildings ("Flat 9B, Tower 2,
 * The Harbourside, "), house names ("Rose Cottage, "), institutions ("Department of Chemistry,
 * University of Ibadan, "), a Japanese postal mark and flat numbers ("101-1502, ").
 */
const PREFIX_PART = new RegExp(
  `(?:(?:(?:Basement|Ground[ ]Floor|First[ ]Floor|Top|Garden|Upper|Lower)[ ]Flat|\\d{1,2}(?:st|nd|rd|th)[ ]Floor|c\\/o[ ][^,\\n]{2,40})|(?:Flat|Apt|Apartment|Apartamento|Departamento|Depto|Appartement|Wohnung|Unit|Suite|Room|Shop|House|Plot|Lot|No|Level|Floor|Villa|Office|Bât|Bâtiment|Building|Bldg|Block|Tower|Torre|Escalier)(?![\\p{L}])\\.?\\s*(?:No\\.?\\s*)?[\\w/-]{1,6}|\\d{1,4}-\\d{1,4}|(?:The\\s+)?(?:${WORD}\\s+){0,2}(?:Cottage|House|Farm|Rectory|Vicarage|Lodge|Manor|Barn|Mill|Hall|Grange|Croft|Bungalow|Harbourside|Court|Mansions|Residences?)|(?:Department|Dept\\.?|Faculty|School|Institute|University|College)\\s+of\\s+(?:${WORD}\\s*){1,3}|The\\s+(?:${WORD}\\s+){0,2}${WORD}),\\s*$|(?:Résidence|Residencia|Residenza|Edificio|Edifício|Condominio|Condomínio|Tòa nhà|Chung cư)\\s+(?:${WORD}\\s*){1,3},\\s*$|〒\\s*$|(?:Flat|Apt|Apartment|Unit|Suite|Room|Plot|Lot|Villa|House|Shop|Office)\\.?\\s*$`,
  'u',
);

function extendBack(text: string, start: number): number {
  let from = start;
  for (let parts = 0; parts < 4; parts++) {
    const m = PREFIX_PART.exec(text.slice(Math.max(0, from - 60), from));
    if (!m || m[0].length === 0) break;
    from -= m[0].length;
  }
  return from;
}

/**
 * Addresses in Chinese, Japanese and Korean script, which have no capitals or spaces to go by:
 * Japanese prefecture/city/ward then block numbers ("東京都渋谷区神宮前4-12-10", an optional 〒 code
 * before and building and floor after); Chinese province/city/district/road then "号" and floors
 * ("…世纪大道100号…58楼"); Korean city/district then a -ro/-gil road and number ("… 테헤란로 152, 1203호").
 */
const CJK_ADDRESS = new RegExp(
  [
    '(?:〒\\s?\\d{3}-\\d{4}\\s*)?\\p{Script=Han}{1,12}?(?:都|道|府|県|市|区|町|村)[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}ー]{0,10}?\\d{1,4}(?:[-−－]\\d{1,4}){1,2}(?:[ 　]?[\\p{Script=Katakana}\\p{Script=Han}ー]{1,12}[ 　]?\\d{1,5}(?:F|階|号室)?(?!\\d))?',
    '\\p{Script=Han}{1,20}?(?:省|市|区|县|路|街|大道)\\p{Script=Han}{0,15}?\\d{1,5}号(?:\\p{Script=Han}{0,12}?\\d{1,4}(?:楼|层|室|单元))*',
    '(?:\\p{Script=Hangul}{2,8}(?:시|도)\\s)?(?:\\p{Script=Hangul}{1,6}(?:구|군)\\s)?\\p{Script=Hangul}{1,10}(?:로|길)\\s?\\d{1,5}(?:-\\d{1,4})?(?:,?\\s?\\d{1,5}호)?',
  ].join('|'),
  'gu',
);
/** The cue a CJK address pattern would otherwise start with: "地址是", "住所は", "주소:". */
const CJK_CUE = /^(?:地址(?:是|为|：|:)?|住所(?:は|：|:)?|寄到|送到|주소\s?:?\s?)/u;

export function detectAddresses(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [...text.matchAll(ADDRESS)].map((m) => ({
    type: 'ADDRESS' as const,
    start: m.index,
    end: m.index + m[0].replace(/\s+$/u, '').length,
  }));
  for (const m of text.matchAll(CJK_ADDRESS)) {
    const cue = CJK_CUE.exec(m[0])?.[0].length ?? 0;
    spans.push({ type: 'ADDRESS', start: m.index + cue, end: m.index + m[0].length });
  }
  for (const cue of text.matchAll(ADDRESS_CUE)) {
    const start = cue.index + cue[0].length;
    const street = CUED_STREET.exec(text.slice(start, start + 160))?.[0].replace(/[\s,]+$/u, '');
    if (!street || NOT_A_STREET.test(street)) continue;
    const end = start + street.length;
    // The patterns above usually know the address already, and better (with its postal tail).
    if (spans.some((s) => s.start < end && start < s.end)) continue;
    spans.push({ type: 'ADDRESS', start, end });
  }
  for (const span of spans) {
    span.end = extendAddress(text, span.end);
    span.start = extendBack(text, span.start);
  }
  // "Chapter 7, Bankruptcy Court", "Section 8, Row 12": a number that belongs to the word before it.
  // A tail found on its own ("Sector 2, 020081 București") inside a whole address is the same address.
  return spans.filter(
    (s) =>
      !NUMBERED_THING_BEFORE.test(text.slice(Math.max(0, s.start - 16), s.start)) &&
      !spans.some(
        (o) => o !== s && o.start <= s.start && o.end >= s.end && o.end - o.start > s.end - s.start,
      ),
  );
}
