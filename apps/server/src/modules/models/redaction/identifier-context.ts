/**
 * Words that, just before a number, say it is a business identifier (order, tracking, invoice…)
 * rather than personal data. Used to keep order and tracking numbers that happen to look like
 * phone or card numbers.
 */
const IDENTIFIER_BEFORE =
  /(?:order|tracking|imei|imsi|iccid|meid|pnr|awb|waybill|air ?waybill|consignment|container|bill of lading|b\/l|dhl(?: express)?|fedex|ups|usps|tnt|dpd|gls|hermes|evri|royal mail|parcelforce|postnl|colissimo|chronopost|correos|aramex|purolator|canada post|auspost|account|customer|client|member|membership|loyalty|contract|policy|claim|application|user|kundennummer|klantnummer|bestel(?:l)?(?:nummer|nr\.?)?|bestelling|auftrag(?:snummer)?|artikel(?:nummer|nr\.?)?|rechnung(?:snummer)?|factuur(?:nummer)?|commande|pedido|ordine|sipariş|zamówienie|rendelés|track|invoice|inv|receipt|ref|reference|sku|item|article|part|serial|s\/n|sn|model|ticket|case|shipment|parcel|package|confirmation|booking|batch|lot|po|rma|ean|upc|gtin|isbn|asin|code|version|build|firmware|ios|android|windows|v\.?|no\.?|nr\.?|#)\s*(?:number|no\.?|nr\.?|num|id|code|#)?\s*(?:is|was|=)?\s*[:#]?\s*$/i;

/** A letters-and-digits code just before a digit group ("RF18 5390 0754", "AB12 3456"). */
// On the same line only: a postcode ending one line ("LS6 2AB\n0113 496 0822") is no prefix.
const CODE_BEFORE = /(?:^|\s)(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{3,}[ \t]$/;
/** A container's owner code (ISO 6346: three letters and U, J or Z) before its serial ("MSCU 482913-7"). */
const CONTAINER_OWNER_BEFORE = /(?:^|\s)[A-Z]{3}[UJZ]\s$/;

/**
 * Earlier numbers of the same list: "order 1234567 and 7654321", "tracking 123 or 456". Not after a
 * comma: "account 4412, 0171 5544332" is an account number and then a phone.
 */
const LIST_BEFORE = /(?:#?\d[\w-]*\s*(?:and|or|&|\/)\s*)+$/i;

export function followsIdentifierWord(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 64), start);
  const listStart = before.replace(LIST_BEFORE, '');
  const heads = listStart === before ? [before] : [before, listStart];
  return heads.some(
    (b) =>
      IDENTIFIER_BEFORE.test(b.slice(-32)) ||
      CODE_BEFORE.test(b.slice(-32)) ||
      CONTAINER_OWNER_BEFORE.test(b.slice(-32)),
  );
}
