import { describe, expect, it } from 'vitest';
import { detectAddresses } from './detect-address.js';
import { detectCards } from './detect-card.js';
import { detectDatesOfBirth } from './detect-dob.js';
import { detectEmails } from './detect-email.js';
import { detectEntities } from './detect-entities.js';
import { detectIbans } from './detect-iban.js';
import { detectIps } from './detect-ip.js';
import { detectPersons } from './detect-person.js';
import { detectPhones } from './detect-phone.js';
import { detectSsns, ssnValid } from './detect-ssn.js';
import type { EntitySpan } from './entity.js';

const values = (text: string, spans: EntitySpan[]) => spans.map((s) => text.slice(s.start, s.end));
const found = (detect: (t: string) => EntitySpan[], text: string) => values(text, detect(text));

describe('email', () => {
  it('finds addresses with plus tags, subdomains and upper case', () => {
    expect(found(detectEmails, 'mail a.b+x@mail.example.co.uk or JANE@EXAMPLE.COM.')).toEqual([
      'a.b+x@mail.example.co.uk',
      'JANE@EXAMPLE.COM',
    ]);
  });
  it('stays linear on long runs of address characters without "@"', () => {
    // Structural check, not a timing one: the detector finds nothing and does finish.
    expect(found(detectEmails, `${'a.'.repeat(5000)} at home`)).toEqual([]);
  });
  it('ignores handles and versions', () => {
    expect(found(detectEmails, 'ping @anna about v1.2@beta or user@localhost')).toEqual([]);
  });
});

describe('phone', () => {
  it('finds national and international formats with extensions', () => {
    const text =
      'US 463-612-6138x036, (415) 555-0134 ext. 22, UK +44 20 7946 0958, 07700 900123, DE +49 (0)89 1234567, FR 06 12 34 56 78, NL 06-12345678, IN +91 98765 43210.';
    expect(found(detectPhones, text)).toEqual([
      '463-612-6138x036',
      '(415) 555-0134 ext. 22',
      '+44 20 7946 0958',
      '07700 900123',
      '+49 (0)89 1234567',
      '06 12 34 56 78',
      '06-12345678',
      '+91 98765 43210',
    ]);
  });
  it('keeps order and tracking numbers, dates, prices and times', () => {
    const text =
      'Order 1002345678, tracking number 940010000000000000, EAN 4006381333931, on 2024-05-17 or 17.05.2024 at 14:30, $1,499.00, version 2.3.1, 1100 lumens';
    expect(found(detectPhones, text)).toEqual([]);
  });
});

describe('payment card', () => {
  it('finds Luhn-valid numbers in common groupings', () => {
    expect(found(detectCards, 'card 4111 1111 1111 1111, amex 3782-822463-10005, 5555555555554444')).toEqual([
      '4111 1111 1111 1111',
      '3782-822463-10005',
      '5555555555554444',
    ]);
  });
  it('ignores Luhn failures and identifiers', () => {
    expect(
      found(detectCards, 'card 4111 1111 1111 1112; tracking JJD4111111111111111; order 4111111111111111'),
    ).toEqual([]);
  });
});

describe('IBAN', () => {
  it('finds IBANs in any case, grouped or compact, followed by words', () => {
    const text = 'to DE89 3704 0044 0532 0130 00 please, or gb82west12345698765432, or nl91ABNA0417164300.';
    expect(found(detectIbans, text)).toEqual([
      'DE89 3704 0044 0532 0130 00',
      'gb82west12345698765432',
      'nl91ABNA0417164300',
    ]);
  });
  it('rejects bad checksums, unknown countries and wrong lengths', () => {
    expect(
      found(detectIbans, 'GB82 WEST 1234 5698 7654 33, ZR802 compatible, DE89 3704 0044 0532 0130'),
    ).toEqual([]);
  });
});

describe('US SSN', () => {
  it('applies the SSA validity rules', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    for (const [a, g, s] of [
      ['000', '12', '3456'],
      ['666', '12', '3456'],
      ['912', '12', '3456'],
      ['123', '00', '3456'],
      ['123', '45', '0000'],
    ])
      expect(ssnValid(a ?? '', g ?? '', s ?? '')).toBe(false);
  });
  it('finds grouped numbers, and bare nine digits only after "SSN"', () => {
    expect(
      found(detectSsns, 'SSN 123-45-6789, 234 56 7890, SSN: 345678901, order 456789012, 666-12-3456'),
    ).toEqual(['123-45-6789', '234 56 7890', '345678901']);
  });
});

describe('IP addresses', () => {
  it('finds IPv4 and IPv6 (compressed, upper case)', () => {
    expect(
      found(detectIps, 'from 192.168.1.20, 2001:db8::8a2e:370:7334 and FE80::1FF:FE23:4567:890A.'),
    ).toEqual(['192.168.1.20', '2001:db8::8a2e:370:7334', 'FE80::1FF:FE23:4567:890A']);
  });
  it('takes an IPv4-mapped IPv6 address whole', () => {
    // The detector also reports the embedded IPv4 address; overlap resolution keeps the whole one.
    expect(found(detectEntities, 'logs show ::ffff:192.0.2.128 and fe80::1.')).toEqual([
      '::ffff:192.0.2.128',
      'fe80::1',
    ]);
  });
  it('ignores versions, out-of-range octets and clock times', () => {
    expect(found(detectIps, 'v1.2.3.4.5, 300.1.1.1, at 14:30:00, ratio 3:2')).toEqual([]);
  });
});

describe('street address', () => {
  it('finds addresses in US, UK, DE, FR, NL and IN formats with postal codes', () => {
    const cases = [
      '1283 Cedar Hill Road, Unit 25, Springfield, IL 62014',
      'Flat 4A, 221B Baker Street, London NW1 6XE',
      'Hauptstraße 12a, 10115 Berlin',
      '12 bis rue de la Paix, 75002 Paris',
      'Keizersgracht 123, 1015 CJ Amsterdam',
      'Flat 4B, 12 MG Road, Bengaluru 560001',
    ];
    for (const address of cases)
      expect(found(detectAddresses, `Ship to ${address}. Thanks`)).toEqual([address]);
  });
  it('leaves a sentence’s full stop out of an address, keeps an abbreviation’s dot', () => {
    expect(found(detectAddresses, 'I live at 42 Baker Street. Thanks')).toEqual(['42 Baker Street']);
    expect(found(detectAddresses, 'Send it to 7 Elm St. please')).toEqual(['7 Elm St.']);
  });
  it('ignores numbers next to ordinary words', () => {
    expect(
      found(detectAddresses, 'I ordered 3 Street Lamps and 12 Road Bikes? No: 2 boxes, 10115 items.'),
    ).toEqual([]);
  });
});

describe('date of birth', () => {
  it('finds dates only in birth context', () => {
    const text =
      'I was born on 12 March 1985. DOB: 03/12/1985. Delivered on 2024-05-17. Geboren am 01.02.1990.';
    expect(found(detectDatesOfBirth, text)).toEqual(['12 March 1985', '03/12/1985', '01.02.1990']);
  });
});

describe('person names', () => {
  it('finds names from context, even names no lexicon knows', () => {
    const text =
      "Hi Marco,\nmy name is Zyxela Quorn and I'm writing about my order. This is Bastiaan de Vries from Acme. Mr. van den Berg said so.\nThanks, Anna";
    expect(found(detectPersons, text)).toEqual(
      expect.arrayContaining(['Marco', 'Zyxela Quorn', 'Bastiaan de Vries', 'Mr. van den Berg', 'Anna']),
    );
  });
  it('finds bare lexicon names with surnames, but not ambiguous words alone', () => {
    expect(found(detectPersons, 'Sabine Müller told me to wait. In May I will mark it.')).toEqual([
      'Sabine Müller',
    ]);
  });
  it('does not turn greetings, sign-offs or labels into people', () => {
    const text =
      "Hi team,\nI'm Not sure. Hello, Order 1234 is late. Thanks\nMobile: 0123\nBest regards, The Support Team";
    expect(found(detectPersons, text)).toEqual([]);
  });
});

describe('person names in running text', () => {
  it('finds a lexicon name after another capitalised word, and skips product and place words', () => {
    expect(found(detectPersons, 'Yesterday Anna Schmidt called.')).toEqual(['Anna Schmidt']);
    expect(
      found(
        detectPersons,
        'The Victoria line was closed. Is the Julia SDK supported?\nThanks!\nSent from my iPhone',
      ),
    ).toEqual([]);
  });
});

describe('person names: context beyond the lexicon', () => {
  const cases: Array<[string, string[]]> = [
    ['please ask for Ngozi Okonkwo at reception', ['Ngozi Okonkwo']],
    ['cc Henrik Lindqvist on all replies', ['Henrik Lindqvist']],
    ['The account holder is Zorion Etxeberria, not me.', ['Zorion Etxeberria']],
    ['The driver, Zorion, was rude.', ['Zorion']],
    ['Our new bookkeeper is Zorion Etxe, please give her access.', ['Zorion Etxe']],
    ['When will Zorion call me back?', ['Zorion']],
    ['Is Zorion still handling my case?', ['Zorion']],
    ['Can you pass this on to Zorion?', ['Zorion']],
    ['Forward this to Zorion in finance.', ['Zorion']],
    ['Good afternoon, Zorion from the Warsaw office here.', ['Zorion']],
    ['Please let Zorion know the samples arrived.', ['Zorion']],
    ['Bonjour, je m’appelle Zorion Garnier et…', ['Zorion Garnier']],
    ['Frau Köhler und Herr Schneider, M. Lefèvre', ['Frau Köhler', 'Herr Schneider', 'M. Lefèvre']],
    ['Rekening t.n.v. J. de Vries', ['J. de Vries']],
    ['Cheers, Zorion 🙂', ['Zorion']],
    ['Best wishes,\nEwa and Zorion', ['Ewa', 'Zorion']],
    ['HI MY NAME IS DAVID KIM AND I WAS CHARGED TWICE', ['DAVID KIM']],
    ['the label says J. Okoro, not me', ['J. Okoro']],
    ["I'm writing as Zorion's assistant", ['Zorion']],
    ['please refund Zorion, she returned the coat', ['Zorion']],
    ["Zorion said you'd email a label?", ['Zorion']],
    ['Zorion (my husband) placed the order', ['Zorion']],
    ['From: Zorion Vogel\nSubject: broken lamp', ['Zorion Vogel']],
    ['xx Zorion', ['Zorion']],
    ['Grüße, Zorion', ['Zorion']],
    ['Talk to you soon, Zorion', ['Zorion']],
    ['Greta and Zorion both use the app.', ['Greta', 'Zorion']],
    ['Tell Svetlana thanks!', ['Svetlana']],
  ];
  it.each(cases)('%s', (text, names) => {
    expect(found(detectPersons, text)).toEqual(expect.arrayContaining(names));
    expect(found(detectPersons, text)).toHaveLength(names.length);
  });
  it('takes lower-case names only after a strong trigger or when the lexicon knows them', () => {
    expect(found(detectPersons, "hey its tom again, i'm diego btw")).toEqual(['tom', 'diego']);
    expect(found(detectPersons, 'the box was opened by sabine at the desk')).toEqual(['sabine']);
    expect(found(detectPersons, 'my colleague tomasz said so, my friend will help')).toEqual(['tomasz']);
    expect(found(detectPersons, "i'm sorry, its fine, sent by post")).toEqual([]);
  });
  it('recognises surname shapes after an unknown given name', () => {
    const names = found(detectPersons, 'Yesterday Zorion Wiśniewska and Xanthe Papadopoulos paid.');
    expect(names.sort()).toEqual(['Xanthe Papadopoulos', 'Zorion Wiśniewska']);
  });
});

describe('person names: products, places and teams are not people', () => {
  it.each([
    'I bought the Monaco Desk and the Sofia Chair in May.',
    'The Madison Avenue store was closed. The Sofia office handles returns.',
    'Is the Ashley mattress firm? I want the Mona Lisa print.',
    "St. Patrick's Day special ends soon. The King Charles spaniel bed is great.",
    'Regards\nTeodora Marinova\nProcurement Lead | Sofia Logistics Ltd',
    'Cheers,\nOps',
    'Account number 100200300 is our customer ID.',
    'Logged in as support-bot, not a person.',
    'Kind regards,\nNorthwind Traders',
    'Thanks!\nSunrise Bakery',
    'Dear Valued Customer,',
    'Hi Spotify, my playlist vanished. Thanks Google! Dear Netflix team,',
  ])('%s', (text) => {
    const names = found(detectPersons, text);
    expect(names.filter((n) => n !== 'Teodora Marinova')).toEqual([]);
  });
});

describe('identifiers that look like personal data', () => {
  it('keeps ISBNs, customer numbers, dates with times and four-part versions', () => {
    const text =
      'ISBN 978-3-16-148410-0, customer number 100200300, placed 2024-03-02 23:59:59, firmware 10.4.1.2, Chrome 120.0.6099.109';
    expect(detectEntities(text)).toEqual([]);
  });
  it('does not read "cc" inside a word as a card keyword', () => {
    expect(found(detectCards, 'one account, order 4111111111111111')).toEqual([]);
  });
});

describe('other spellings of the typed values', () => {
  it.each([
    ['mail me: anna [at] example [dot] com', 'anna [at] example [dot] com'],
    ['anna(at)example.de please', 'anna(at)example.de'],
    ['write to jan.k at gmail dot com', 'jan.k at gmail dot com'],
    ['ring (+44) 20 7946 0958', '(+44) 20 7946 0958'],
    ['card 4111.1111.1111.1111', '4111.1111.1111.1111'],
    ['IBAN DE89-3704-0044-0532-0130-00', 'DE89-3704-0044-0532-0130-00'],
    ['server 192.168.1.10:8080 is down', '192.168.1.10'],
    ['born on the 3rd of March 1990', '3rd of March 1990'],
    ['dob 1985/07/14', '1985/07/14'],
  ])('%s', (text, value) => {
    expect(found(detectEntities, text)).toEqual([value]);
  });
  it('needs a bracketed or spelled-out "at"/"dot" before calling words an address', () => {
    expect(found(detectEmails, 'meet at home.com or at noon')).toEqual([]);
  });
});

describe('street addresses in more locales', () => {
  it.each([
    'Am Sonnenhang 5, 79102 Freiburg',
    'Keizersgracht 123-II, 1015 CJ Amsterdam',
    'Calle Mayor 15, 3º B, 28013 Madrid',
    'Via Roma 21, 00184 Roma',
    'ul. Marszałkowska 84/92, 00-514 Warszawa',
    'Drottninggatan 53, 111 21 Stockholm',
    'Vesterbrogade 12, 1620 København V',
    'Mannerheimintie 12 B 7, 00100 Helsinki',
    'Rua Augusta 274, 1100-053 Lisboa',
    'Bağdat Caddesi 145, 34730 Kadıköy',
    '3-12-1 Shibuya, Shibuya-ku, Tokyo 150-0002',
    'PO Box 1234, Austin, TX 78767',
    '88 Queen Street West, Toronto, ON M5H 2N2',
    'Unit 5, 12 George Street, Sydney NSW 2000',
    '2/45 Collins St, Melbourne VIC 3000',
    '500 W 33rd St, New York, NY 10001',
    'Flat 302, Sai Residency, 14 MG Road, Pune 411001',
    'B-204, Sunshine Apartments, Andheri East, Mumbai 400069',
    'Plot 44, Sector 18, Gurugram 122015',
    'Calle de Alcalá 48, 4º izq., 28014 Madrid',
    'Sankt Annæ Plads 13, 1250 København K',
    'Level 3, 100 Queen St, Brisbane QLD 4000',
    '2/11 Rue Sainte-Catherine, 33000 Bordeaux',
    'Rynek Główny 1, 31-042 Kraków',
    'Váci utca 12, 1052 Budapest',
    'Karl Johans gate 22, 0159 Oslo',
    'Strada Lipscani 5, 030031 București',
    '1 Infinite Loop, Cupertino, CA 95014',
    '14 Kloof Street, Cape Town 8001',
  ])('%s', (address) => {
    expect(found(detectAddresses, `Ship to ${address}. Thanks`)).toEqual([address]);
  });
});

describe('street addresses after an address cue', () => {
  it('takes a house number next to capitalised words after "ship to", "I live at", "my address is"', () => {
    expect(found(detectAddresses, 'ship to Storgata 10 in Oslo')).toEqual(['Storgata 10']);
    expect(found(detectAddresses, 'I live at 14 Orchard View, Didcot')).toEqual(['14 Orchard View, Didcot']);
    expect(found(detectAddresses, 'my address is Kungsgatan 3, Göteborg')).toEqual([
      'Kungsgatan 3, Göteborg',
    ]);
  });
  it('does not take dates, times, rooms or places without a house number', () => {
    for (const text of [
      'deliver to Berlin before 12 June',
      'ship it to Room 12 by 10:00',
      'moved to Amsterdam in 2020',
      'send it to my office',
    ])
      expect(found(detectEntities, text)).toEqual([]);
  });
});

describe('overlap resolution', () => {
  it('keeps the longest span, and the more specific kind on ties', () => {
    const text = 'SSN 123-45-6789 and IP 10.0.0.12 and bob@example.com';
    expect(detectEntities(text).map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['SSN', '123-45-6789'],
      ['IP', '10.0.0.12'],
      ['EMAIL', 'bob@example.com'],
    ]);
  });
});

describe('street addresses: the parts after and before a street', () => {
  it.each([
    ['Calle Serrano 41, 4º 1ª, 28001 Madrid', 'floor and door (ES)'],
    ['Rua do Carmo 12, 1º Dto, 1200-093 Lisboa', 'floor and side (PT)'],
    ['Calle Colón 7, bajo A, 46004 Valencia', 'ground floor (ES)'],
    ['Via Toledo 256, scala B, int. 9, 80132 Napoli', 'staircase and flat (IT)'],
    ['Via Po 10, 10123 Torino TO', 'province code (IT)'],
    ['ul. Długa 5 m. 3, 80-827 Gdańsk', 'flat number (PL)'],
    ['Istiklal Caddesi No: 45 D: 3, 34433 Beyoğlu/İstanbul', 'door and district/city (TR)'],
    ['Nørregade 7, 1. tv., 1165 København K', 'floor and side (DK)'],
    ['Kerkstraat 12 bus 4, 9000 Gent', 'box number (BE)'],
    [
      'Rua Haddock Lobo, 595 - Cerqueira César, São Paulo - SP, CEP 01414-001',
      'district, state and CEP (BR)',
    ],
    ['Av. Reforma 222, Int. 8, Col. Juárez, 06600 Ciudad de México, CDMX', 'colonia and state (MX)'],
    ['9 Patrick Street, Kilkenny R95 X2C4', 'Eircode (IE)'],
    ['18 Baggot Street Lower, Dublin 4, D04 Y6W1', 'Dublin district and Eircode (IE)'],
    ['77 Sejong-daero 12-gil, Jung-gu, Seoul 04519', 'Korean road and district'],
    ['No. 18 Wangfujing Dajie, Dongcheng District, Beijing 100006', 'Chinese street'],
    ['45 Le Loi, Ben Thanh Ward, District 1, Ho Chi Minh City', 'ward and district (VN)'],
    ['Jl. Thamrin No. 9, RT 02/RW 07, Jakarta Pusat 10350', 'RT/RW (ID)'],
    ['Ivy Cottage, 2 Church Street, Chipping Norton OX7 5NT', 'house name (UK)'],
    [
      'Orchard House, Mill Lane, Great Bardfield, Braintree CM7 4SX',
      'house name, street without a number (UK)',
    ],
    [
      'Flat 3B, Block 4, The Waterfront, 8 Harbour Road, Wan Chai, Hong Kong',
      'flat, block and building (HK)',
    ],
    ['Rue de Lausanne 15, 1201 Genève', 'type word first (CH)'],
    ['Hverfisgata 30, 101 Reykjavík', 'three-digit code (IS)'],
    ['12 east 9th st apt 3c new york ny 10003', 'lower case (US)'],
    ['Storgatan 12 lgh 1102, 114 51 Stockholm', 'flat number (SE)'],
    ['Václavské náměstí 12, 110 00 Praha 1', 'square and district (CZ)'],
    ['Av. Corrientes 1234, piso 5, depto B, C1043 CABA', 'floor, flat and CPA (AR)'],
    ['Carrera 7 # 71-21, Bogotá', 'grid address (CO)'],
    ['No. 12, Jalan SS 2/24, 47300 Petaling Jaya, Selangor', 'lot number first (MY)'],
    ['Stephansplatz 3/2/14, 1010 Wien', 'staircase and door (AT)'],
    ['Hauptstraße 5, 3. OG links, 69117 Heidelberg', 'floor and side (DE)'],
    ['4 Chome-2-8 Shibakoen, Minato City, Tokyo 105-0011', 'chōme (JP)'],
    ['Nørrebrogade 44, st. th., 2200 København N', 'ground floor (DK)'],
  ])('%s (%s)', (address) => {
    expect(found(detectEntities, `please send it to ${address}. Thanks`)).toEqual([address]);
  });

  it('continues over lines only with a postcode, and leaves the phone on the next line', () => {
    const text = 'Address: 12 High Street\nLondon\nSW1A 1AA\n0113 496 0822';
    expect(found(detectEntities, text)).toEqual(['12 High Street\nLondon\nSW1A 1AA', '0113 496 0822']);
    expect(found(detectAddresses, 'ship to 5 Main Street\nThanks a lot')).toEqual(['5 Main Street']);
  });

  it('does not swallow the words after an address', () => {
    expect(found(detectAddresses, 'Ship to 14 Elm Road, Leeds, Thanks for sorting it')).toEqual([
      '14 Elm Road, Leeds',
    ]);
    expect(found(detectAddresses, 'ship to Baker Street 5, 10115 Berlin then call Anna')).toEqual([
      'Baker Street 5, 10115 Berlin',
    ]);
  });
});

describe('bare SSN after a looser cue', () => {
  it('takes nine digits a few words after an SSN word', () => {
    expect(found(detectSsns, 'social: 078051120')).toEqual(['078051120']);
    expect(found(detectSsns, 'SSN? sure, here it is 219099999')).toEqual(['219099999']);
    expect(found(detectSsns, 'order 219099999')).toEqual([]);
  });
});

describe('date of birth in other languages', () => {
  it.each([
    ['Geburtsdatum: 03.11.1962', '03.11.1962'],
    ['geboren am 12. März 1975', '12. März 1975'],
    ['date de naissance : 02/07/1990', '02/07/1990'],
    ['fecha de nacimiento 14 de julio de 1985', '14 de julio de 1985'],
    ['data di nascita 21/09/1979', '21/09/1979'],
    ['nascida em 30/01/1994', '30/01/1994'],
    ['urodzony 07.08.1969', '07.08.1969'],
    ['doğum tarihi: 19.05.1981', '19.05.1981'],
    ['生年月日 1990年5月3日', '1990年5月3日'],
    ['what is your date of birth? Customer: oct 3 1971', 'oct 3 1971'],
    ['birthdate: 31-Dec-1969', '31-Dec-1969'],
    ['nacida el 3 de marzo de 1990', '3 de marzo de 1990'],
    ['fødselsdato 03.05.1977', '03.05.1977'],
  ])('%s', (text, date) => {
    expect(found(detectDatesOfBirth, text)).toEqual([date]);
  });

  it('takes a corrected birth date in the same sentence too', () => {
    expect(found(detectDatesOfBirth, 'my birthday shows 1988-02-03 but should be 1988-03-02')).toEqual([
      '1988-02-03',
      '1988-03-02',
    ]);
  });
});

describe('brands and shipments are not personal data', () => {
  it.each([
    'is Tommy Hilfiger in the sale',
    'Ted Baker shirts are cheaper online',
    'Nigella Lawson cookbook arrived damaged',
    'Aunt Jemima pancake mix out of stock',
    "Levi's jeans size 32",
    'Sherlock Holmes box set in German?',
    'Mary Berry cakes in the hamper were squashed',
    'Peppa Pig toys on offer?',
    'Alexander the Great biography missing pages',
    'Ernst & Young invoice attached',
    'Procter & Gamble coupon',
    'Ed Sheeran concert tickets',
    'Elizabeth line delays today',
    'Martin Luther King Day delivery schedule',
    'Chen Brothers noodles out of stock',
    'Sato Pharmaceutical eye drops',
    'Chapter 7, Bankruptcy Court, Delaware',
  ])('%s', (text) => {
    expect(found(detectEntities, text)).toEqual([]);
  });

  it('keeps two given names joined by "&", and titles, as people', () => {
    expect(found(detectPersons, 'Anna & Tom are both on the account')).toEqual(['Anna', 'Tom']);
    expect(found(detectPersons, 'Dear Mr & Mrs Okafor,')).toEqual(['Mr & Mrs Okafor']);
  });

  it('treats carrier and container numbers as identifiers', () => {
    for (const text of [
      'UPS 1234 5678 9012 still in transit',
      'air waybill 057-12345675',
      'TNT 0123456789 not moving',
      'container MAEU 123456-7 delayed',
    ])
      expect(found(detectPhones, text)).toEqual([]);
  });

  it('keeps a list of identifiers and device numbers out, but not a phone after an account number', () => {
    expect(found(detectEntities, 'Order 1234567 and 7654321 both late')).toEqual([]);
    expect(found(detectEntities, 'IMEI 356938035643809')).toEqual([]);
    expect(found(detectPhones, 'account 4412, 0171 5544332')).toEqual(['0171 5544332']);
  });

  it('still finds a phone with an extension or an area-code slash', () => {
    expect(found(detectPhones, 'tel +48 12 345 67 89 wew. 12')).toEqual(['+48 12 345 67 89 wew. 12']);
    expect(found(detectPhones, 'Handy 0170/1234567')).toEqual(['0170/1234567']);
  });
});

describe('person names: word names, name order and fields', () => {
  it.each([
    ['Hope phoned this morning about the refund', 'Hope'],
    ['Sunny asked me to chase the invoice', 'Sunny'],
    ['Faith and I both use the account', 'Faith'],
    ['the invoice goes to Priya and me', 'Priya'],
    ['Pham Van Long - order under my shop name', 'Pham Van Long'],
    ['Tanaka Yui desu, the box was empty', 'Tanaka Yui'],
    ['hi, this is zhang wei, the kettle leaks', 'zhang wei'],
    ['Sent from my phone\n\n--\nLorenzo Bianchi\nMilano', 'Lorenzo Bianchi'],
    ['bitte bei Schulze klingeln', 'Schulze'],
    ['bonifico intestato a Marco Rossi', 'Marco Rossi'],
    ['Passenger name: Aditya Rao', 'Aditya Rao'],
    ['the booking is under Okoro, first name Ada', 'Okoro'],
    ['cheers - Bartek', 'Bartek'],
    ['it is for Ciarán Mac Cárthaigh', 'Ciarán Mac Cárthaigh'],
    ['Happy birthday Heather, from all of us', 'Heather'],
    ['so Crystal placed two orders by mistake', 'Crystal'],
    ['Le Thi Hoa - please update my phone', 'Le Thi Hoa'],
    ['Kontoinhaberin: Birgit Sommer', 'Birgit Sommer'],
    ['olá, sou o Rafael Costa', 'Rafael Costa'],
    ['Mohammed al-Farsi will pick it up', 'Mohammed al-Farsi'],
    ['Grüße aus Graz, Veronika', 'Veronika'],
    ['my name: Chukwuemeka Obi', 'Chukwuemeka Obi'],
    ['my aunt mary mcbride set it up', 'mary mcbride'],
  ])('%s', (text, name) => {
    expect(found(detectPersons, text)).toContain(name);
  });

  it('leaves modal verbs, seasons and places alone', () => {
    for (const text of [
      'You can delete your account under Settings, Account, Delete account.',
      'Greetings from Tiiu in Tallinn! The keyboard layout is missing.',
      'Will the courier call first?',
      'Summer sale started?',
      'shipping to Hong Kong takes how long?',
      'Ruby has been updated to 3.3',
    ])
      expect(found(detectPersons, text)).toEqual([]);
  });
});

describe('structured values in less common shapes', () => {
  it('takes a mod-97-valid IBAN whose country or length the registry table does not list, but not a creditor reference', () => {
    const text =
      'IBAN TR33 0006 1005 1978 6457 8413 26, or IL62 0108 0000 0009 9999 999; ref RF18 5390 0754 7034';
    expect(found(detectIbans, text)).toEqual([
      'TR33 0006 1005 1978 6457 8413 26',
      'IL62 0108 0000 0009 9999 999',
    ]);
  });
  it('takes a card followed by its expiry, and nine digits after "ss"', () => {
    expect(found(detectCards, '4539578763621486 11/27 Ama Owusu')).toEqual(['4539578763621486']);
    expect(found(detectSsns, 'ss 212459876 thanks')).toEqual(['212459876']);
  });
  it('finds phones with a spaced area-code slash and Chinese or Filipino extensions', () => {
    expect(found(detectPhones, 'Büro 0711 / 9876 5432, Zentrale 040 / 98 76 54-0')).toEqual([
      '0711 / 9876 5432',
      '040 / 98 76 54-0',
    ]);
    expect(found(detectPhones, '座机 +86 21 5012 3456 转 6021, +63 2 8765 4321 loc. 115 po')).toEqual([
      '+86 21 5012 3456 转 6021',
      '+63 2 8765 4321 loc. 115',
    ]);
  });
  it('does not read postal codes as phones', () => {
    expect(
      found(detectPhones, '〒060-0001 札幌市, Caixa Postal CEP 20040-020, Av. X, 1250-096 Lisboa'),
    ).toEqual([]);
  });
});

describe('date of birth: more languages and scripts', () => {
  it('takes Spanish, German, Turkish, Korean and Japanese birth dates after (or before) their cues', () => {
    const cases: [string, string][] = [
      ['su fecha de nacimiento es el 14 de marzo de 1977', '14 de marzo de 1977'],
      ['Sie ist am 3. Februar 1958 geboren.', '3. Februar 1958'],
      ['생년월일: 1985년 11월 2일', '1985년 11월 2일'],
      ['生年月日は1975年12月1日です', '1975年12月1日'],
      ['doğum tarihim 12 Ağustos 1984', '12 Ağustos 1984'],
      ['fecha de nac. 02-11-1990', '02-11-1990'],
    ];
    for (const [text, date] of cases) expect(found(detectDatesOfBirth, text)).toEqual([date]);
  });
  it('still ignores dates without a birth cue', () => {
    expect(found(detectDatesOfBirth, 'bestellt am 3. Februar 2024, geliefert 2024년 3월 5일')).toEqual([]);
  });
});

describe('products, stations and numbers that are not personal data', () => {
  it('does not take quoted product names, product lines after a brand, or stations as people', () => {
    for (const text of [
      'ordered the "Matilda" armchair, it came scratched',
      'any news on the Puma Clyde Frazier reissue?',
      'does the Tom Ford Oscar frame come in black',
      'meet me by Lincoln Square Station',
      'het pakket ligt bij de Albert Heijn om de hoek',
    ])
      expect(found(detectPersons, text)).toEqual([]);
    expect(found(detectPersons, 'I spoke to Sophia Park yesterday')).toEqual(['Sophia Park']);
  });
  it('keeps order and article numbers in other languages and two-group dotted builds out of phones', () => {
    for (const text of [
      'Artikelnummer 3321-457 fehlt',
      'bestelnummer 20251103-0017 graag',
      'version 23H2 (22631.3447) installed',
    ])
      expect(found(detectPhones, text)).toEqual([]);
    expect(found(detectPhones, 'call 030.1234.5678')).toEqual(['030.1234.5678']);
  });
});

describe('street addresses: more unit, floor and county parts', () => {
  it('extends over county prefixes, bis, French and Swedish floors, Hinterhaus, àtic, 1.º and cj.', () => {
    const cases = [
      '7 Seapoint Avenue, Blackrock, Co. Wicklow A98 X2Y3',
      'Keizersgracht 88 bis, 1015 CS Amsterdam',
      'Sveavägen 12B, 4 tr, 113 50 Stockholm',
      'Kastanienallee 9, Hinterhaus 2. OG, 10435 Berlin',
      'Carrer de Balmes 77, àtic 1a, 08008 Barcelona',
      'Rua Augusta 30, 2.º Esq, 1100-053 Lisboa',
      'Rua Haddock Lobo, 595, cj. 12, Cerqueira César, São Paulo/SP',
      'Plaza Nueva 8, 3º izda, 41001 Sevilla',
      'Herzl St 12, Apt 4, Tel Aviv-Yafo 6688101',
    ];
    for (const address of cases)
      expect(found(detectAddresses, `ship to ${address} thanks`)).toEqual([address]);
  });
});

describe('street addresses: Central/Eastern European and Greek formats, UK prefixes', () => {
  it('finds Hungarian, Romanian, Argentine and Greek streets with their tails', () => {
    const cases = [
      'Váci út 24. III. em. 7, 1132 Budapest',
      'Str. Mihai Eminescu nr. 12, bl. C3, sc. 2, ap. 40, Sector 2, 020081 București',
      'Bv. Pellegrini 880, piso 2 dpto A, S2000 Rosario',
      'Πατησίων 40, 104 34 Αθήνα',
    ];
    for (const address of cases) expect(found(detectAddresses, `adresa: ${address}`)).toEqual([address]);
  });
  it('takes UK flat names, c/o lines and lots before the street, and stops before "IBAN"', () => {
    for (const address of [
      'Garden Flat, 7 Pulteney Road, Bath BA2 4EZ',
      'c/o Weber Logistik GmbH, Hafenstr. 3, 28217 Bremen',
      'Flat 3/2, 12 Dumbarton Road, Glasgow G11 6PA',
      'Lot 7 Banksia Road, Esperance WA 6450',
    ])
      expect(found(detectAddresses, `send it to ${address} please`)).toEqual([address]);
    expect(found(detectAddresses, 'Σόλωνος 10, 106 73 Αθήνα, IBAN GR16 0110')).toEqual([
      'Σόλωνος 10, 106 73 Αθήνα',
    ]);
  });
});

describe('person names: signatures, fields and non-Latin self-introductions', () => {
  it('finds names after sign-offs on their own line, Catalan "i" surnames, field labels and "hi im"', () => {
    expect(found(detectPersons, "Cordialement,\nLouise d'Estrées\nService client")).toEqual([
      "Louise d'Estrées",
    ]);
    expect(found(detectPersons, "Best,\nsean o'neill\nsean@example.ie")).toEqual(["sean o'neill"]);
    expect(found(detectPersons, 'titular Jordi Puig i Ferrer')).toEqual(['Jordi Puig i Ferrer']);
    expect(found(detectPersons, 'Employee Dana Whitfield | start 2027-01-04')).toEqual(['Dana Whitfield']);
    expect(found(detectPersons, 'hey im Rhys Morgan and my parcel is late')).toEqual(['Rhys Morgan']);
    expect(found(detectPersons, 'im Garten liegt es, im Keller nicht')).toEqual([]);
  });
  it('finds Chinese, Japanese, Korean and Greek names after self-introduction cues', () => {
    expect(found(detectPersons, '你好，我叫李晓华，电话在下面')).toEqual(['李晓华']);
    expect(found(detectPersons, 'こんにちは、佐藤 花子です。')).toEqual(['佐藤 花子']);
    expect(found(detectPersons, '안녕하세요 박서준입니다.')).toEqual(['박서준']);
    expect(found(detectPersons, 'Γεια σας, είμαι η Μαρία Κωνσταντίνου, ευχαριστώ')).toEqual([
      'Μαρία Κωνσταντίνου',
    ]);
  });
});

describe('person names: more sign-offs, greetings, roles and vocatives', () => {
  it('finds names after Hungarian sign-offs, Swiss greetings, a dash and a role, and a vocative', () => {
    expect(found(detectPersons, 'Üdvözlettel,\nNagy Péter\nVáci út 1')).toEqual(['Nagy Péter']);
    expect(found(detectPersons, 'Grüezi, Ueli Steiner, wie geht es')).toEqual(['Ueli Steiner']);
    expect(found(detectPersons, 'Marieke de Wet — account holder')).toEqual(['Marieke de Wet']);
    expect(found(detectPersons, 'I changed the address on your account, Sanne. Anything else?')).toEqual([
      'Sanne',
    ]);
    expect(found(detectPersons, 'we shipped it to you, Paris. Thanks')).toEqual([]);
  });
  it('reads a Turkish "cep" (mobile) before a phone as no postal marker', () => {
    expect(found(detectPhones, 'cep 0532 418 77 60')).toEqual(['0532 418 77 60']);
  });
});

describe('street addresses in Chinese, Japanese and Korean script', () => {
  it('finds them whole, without the cue before them', () => {
    expect(found(detectAddresses, '住所は〒160-0022 東京都新宿区新宿3-38-1 ルミネ 8Fです')).toEqual([
      '〒160-0022 東京都新宿区新宿3-38-1 ルミネ 8F',
    ]);
    expect(found(detectAddresses, '地址是北京市朝阳区建国路88号华贸中心12楼，谢谢')).toEqual([
      '北京市朝阳区建国路88号华贸中心12楼',
    ]);
    expect(found(detectAddresses, '주소: 부산광역시 해운대구 해운대로 264, 502호')).toEqual([
      '부산광역시 해운대구 해운대로 264, 502호',
    ]);
  });
  it('leaves prices, dates and order numbers alone', () => {
    expect(found(detectAddresses, '价格是100元, 2024年3月5日に注文しました、注文番号 1234-5678')).toEqual([]);
  });
});

describe('street addresses: Kenyan boxes and Indian sectors', () => {
  it('takes a P.O. Box with a hyphenated postal code, and an Indian flat with a numbered sector', () => {
    expect(found(detectAddresses, 'P.O. Box 30155-00100, Mombasa, Kenya, thanks')).toEqual([
      'P.O. Box 30155-00100, Mombasa, Kenya',
    ]);
    expect(found(detectAddresses, 'C-117, Palm Towers, Sector 62, Noida, Uttar Pradesh 201309')).toEqual([
      'C-117, Palm Towers, Sector 62, Noida, Uttar Pradesh 201309',
    ]);
  });
});

describe('building-led addresses, transcript agents and Filipino names', () => {
  it('takes a residence or building name before the street, and a Vietnamese city after TP.', () => {
    expect(found(detectAddresses, 'Résidence Les Acacias, Bât A, Apt 3, 5 rue Voltaire, 69003 Lyon')).toEqual(
      ['Résidence Les Acacias, Bât A, Apt 3, 5 rue Voltaire, 69003 Lyon'],
    );
    expect(
      found(detectAddresses, 'Tòa nhà Saigon Centre, 65 Lê Lợi, Bến Nghé, Quận 1, TP. Hồ Chí Minh'),
    ).toEqual(['Tòa nhà Saigon Centre, 65 Lê Lợi, Bến Nghé, Quận 1, TP. Hồ Chí Minh']);
  });
  it("finds an agent's name in a transcript label and 'si X dela Y po'", () => {
    expect(found(detectPersons, 'Visitor: hi\nAgent Zodwa: Hi! How can I help?')).toEqual(['Zodwa']);
    expect(found(detectPersons, 'hi po, si Jasmin dela Rosa po ito')).toEqual(['Jasmin dela Rosa']);
  });
});

describe('street addresses: a unit abbreviation is not a city', () => {
  it('takes "Bât. C" with its value, then the floor and postcode', () => {
    expect(
      found(detectAddresses, 'Bonjour, 14 rue des Lilas, Bât. C, 2e étage, 69003 Lyon, 06 12 34 56 78'),
    ).toEqual(['14 rue des Lilas, Bât. C, 2e étage, 69003 Lyon']);
  });
});
