/**
 * Words that, just before a number, say it is a business identifier (order, tracking, invoice…)
 * rather than personal data. Used to keep order and tracking numbers that happen to look like
 * phone or card numbers.
 */
const IDENTIFIER_BEFORE =
  /(?:order|tracking|awb|waybill|air ?waybill|consignment|container|bill of lading|b\/l|dhl(?: express)?|fedex|ups|usps|tnt|dpd|gls|hermes|evri|royal mail|parcelforce|postnl|colissimo|chronopost|correos|aramex|purolator|canada post|auspost|account|customer|client|member|membership|loyalty|contract|policy|claim|application|user|kundennummer|klantnummer|track|invoice|inv|receipt|ref|reference|sku|item|article|part|serial|s\/n|sn|model|ticket|case|shipment|parcel|package|confirmation|booking|batch|lot|po|rma|ean|upc|gtin|isbn|asin|code|version|build|firmware|ios|android|windows|v\.?|no\.?|nr\.?|#)\s*(?:number|no\.?|nr\.?|num|id|code|#)?\s*(?:is|was|=)?\s*[:#]?\s*$/i;

/** A letters-and-digits code just before a digit group ("RF18 5390 0754", "AB12 3456"). */
const CODE_BEFORE = /(?:^|\s)(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{3,}\s$/;
/** A container's owner code (ISO 6346: three letters and U, J or Z) before its serial ("MSCU 482913-7"). */
const CONTAINER_OWNER_BEFORE = /(?:^|\s)[A-Z]{3}[UJZ]\s$/;

export function followsIdentifierWord(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 32), start);
  return IDENTIFIER_BEFORE.test(before) || CODE_BEFORE.test(before) || CONTAINER_OWNER_BEFORE.test(before);
}
