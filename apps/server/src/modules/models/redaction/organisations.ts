/**
 * Words that make a capitalised phrase an organisation, not a person, for the person detector:
 * - COMPANY_WORDS anywhere in the phrase ("Northwind Traders", "Maple Street Dental", "Dear Valued
 *   Customer");
 * - BRANDS as its first word: companies and services customers name in support chats, so greeting
 *   or thanking them ("Hi Spotify,", "Thanks Google!") is not greeting a person. Only brands whose
 *   name is not also a common given name are listed; those are in AMBIGUOUS_NAMES instead.
 */
export const COMPANY_WORDS: ReadonlySet<string> = new Set(
  `traders trading coffee bakery farm farms dental clinic consulting consultants group ltd limited inc corp gmbh llc
  plc bv co company companies solutions services service studio studios shop store stores foods media labs partners
  associates hotel hotels restaurant cafe café bar pharmacy salon garage motors logistics systems tech technologies
  software digital design marketing agency builders construction plumbing electric electrical insurance bank
  trust foundation school academy university college hospital church council customer customers client clients
  user users member members team support care helpdesk desk crew staff community fans valued esteemed airlines
  airways express transport shipping freight couriers post mail network networks telecom mobile energy power
  water gas utilities properties realty estates homes furniture interiors fashion apparel boutique outlet market
  supermarket pharma health healthcare medical vet veterinary fitness gym sports club cinema theatre gallery museum
  library brothers bros pharmaceutical pharmaceuticals industries enterprises manufacturing international global
  imports exports`.split(/\s+/),
);

export const BRANDS: ReadonlySet<string> = new Set(
  `amazon apple google microsoft netflix spotify paypal stripe klarna shopify facebook instagram whatsapp uber airbnb
  ebay etsy zalando ikea samsung sony nike adidas dhl ups fedex hermes usps postnl dpd gls zoom slack outlook gmail
  yahoo dropbox salesforce hubspot zendesk intercom jira atlassian notion trello asana revolut monzo wise visa
  mastercard amex tesla toyota bmw audi volkswagen peloton fitbit garmin dyson philips bosch siemens miele huawei
  xiaomi oneplus nokia motorola lenovo dell asus acer logitech canon nikon gopro nintendo xbox playstation steam
  twitch youtube tiktok twitter linkedin pinterest reddit discord telegram skype vodafone verizon comcast virgin
  ryanair lufthansa klm easyjet booking expedia deliveroo lidl aldi tesco walmart target costco zara primark
  decathlon sephora lush argos currys boots asda sainsburys waitrose ocado rewe edeka otto bol coolblue fnac
  darty carrefour flipkart myntra swiggy zomato paytm phonepe razorpay alibaba aliexpress temu shein wish
  canva figma github gitlab bitbucket heroku vercel netlify cloudflare godaddy squarespace wix wordpress mailchimp
  sendgrid twilio okta auth0 docusign adobe oracle sap ibm intel nvidia amd cisco`.split(/\s+/),
);

/**
 * Well-known brands, shops, products and characters named after people (fashion, food, retail,
 * kitchenware, books and toys): "Hugo Boss", "Marks & Spencer", "Uncle Ben's". A capitalised
 * phrase that is one of these is not a person, whatever trigger found it. Dots, ampersands and a
 * possessive "'s" are optional when matching ("Dr Martens", "Ben and Jerry's").
 */
const PERSON_NAMED_BRANDS =
  `hugo boss|calvin klein|ralph lauren|polo ralph lauren|tommy hilfiger|michael kors|
  marc jacobs|kate spade|tory burch|vera wang|tom ford|ted baker|paul smith|ben sherman|karl lagerfeld|
  giorgio armani|emporio armani|gianni versace|donatella versace|dolce & gabbana|
  yves saint laurent|saint laurent|christian dior|coco chanel|christian louboutin|jimmy choo|
  manolo blahnik|louis vuitton|salvatore ferragamo|stella mccartney|alexander mcqueen|vivienne westwood|
  jean paul gaultier|john varvatos|kenneth cole|steve madden|sam edelman|stuart weitzman|anne klein|
  oscar de la renta|carolina herrera|diane von furstenberg|betsey johnson|john lewis|marks & spencer|
  harvey nichols|selfridges|debenhams|sainsbury's|mrs crimble's|mrs crimble|mr kipling|aunt bessie's|
  aunt bessie|uncle ben's|uncle ben|ben & jerry's|ben and jerry's|jack daniel's|jim beam|johnnie walker|
  captain morgan|jose cuervo|dr oetker|dr martens|doc martens|dr pepper|dr scholl's|
  martha stewart|jamie oliver|gordon ramsay|nigella lawson|mary berry|ken hom|delia smith|russell hobbs|
  morphy richards|kenwood chef|le creuset|paul hollywood|betty crocker|sara lee|marie callender's|
  chef boyardee|little debbie|wendy's|mcdonald's|ronald mcdonald|colonel sanders|papa john's|tim hortons|
  dunkin donuts|mrs fields|ben's original|aunt jemima|kellogg's|john deere|
  harley davidson|harley-davidson|mercedes benz|mercedes-benz|walt disney|
  harry potter|hermione granger|thomas the tank engine|peppa pig|paddington bear|winnie the pooh|
  peter rabbit|ken doll|sherlock holmes|james bond|charlie brown|estée lauder|estee lauder|
  elizabeth arden|helena rubinstein|bobbi brown|charlotte tilbury|laura mercier|laura ashley|
  cath kidston|jo malone|jack wills|victoria's secret|levi's|levi strauss|lee cooper|
  eggs benedict|peach melba|beef wellington|caesar salad|earl grey|lady grey|
  tommy bahama|fred perry|george foreman|jacob's|mrs brown's boys|ainsley harriott|joseph joseph|vidal sassoon|
  john frieda|toni & guy|max factor|kylie cosmetics|huda beauty|ted lasso|john frieda|mr muscle|mr sheen|
  ben sherman|henri lloyd|charles schwab|edward jones|raymond james|merrill lynch|wells fargo|marie curie|philip kingsley|nicky clarke|sally hansen|aston martin|rolls royce|rolls-royce|albert heijn|jack wolfskin|tom tailor|marc o'polo|tim hortons|ben & jerry|ben nevis|jack jones|jack & jones|dr. jart|paul mitchell|bobbi brown`.replace(
    /\s+/g,
    ' ',
  );

/** Matches any of PERSON_NAMED_BRANDS in text, with dots and possessives optional. */
export const PERSON_NAMED_BRAND = new RegExp(
  `(?<![\\p{L}])(?:${PERSON_NAMED_BRANDS.split('|')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) =>
      b
        .replace(/[.*+?^${}()[\]\\]/g, '\\$&')
        .replace(/'s$/, "['’]s")
        .replace(/ & | and /g, ' (?:&|and) ')
        .replace(/^(dr|mr|mrs|ms) /, '$1\\.? ')
        .replace(/ /g, '[ ]+'),
    )
    .join('|')})(?:['’]s)?(?![\\p{L}])`,
  'giu',
);
