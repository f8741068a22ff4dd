/**
 * Words that, just before a number, say it is a business identifier (order, tracking, invoice…)
 * rather than personal data. Used to keep order and tracking numbers that happen to look like
 * phone or card numbers.
 */
const IDENTIFIER_BEFORE =
  /(?:order|tracking|track|invoice|inv|receipt|ref|reference|sku|item|article|part|serial|s\/n|sn|model|ticket|case|shipment|parcel|package|confirmation|booking|batch|lot|po|rma|ean|upc|gtin|isbn|asin|code|no\.?|nr\.?|#)\s*(?:number|no\.?|nr\.?|num|id|code|#)?\s*(?:is|was|=)?\s*[:#]?\s*$/i;

export function followsIdentifierWord(text: string, start: number): boolean {
  return IDENTIFIER_BEFORE.test(text.slice(Math.max(0, start - 32), start));
}
