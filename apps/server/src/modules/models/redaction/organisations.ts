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
  library`.split(/\s+/),
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
