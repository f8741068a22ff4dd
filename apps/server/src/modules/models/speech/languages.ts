/**
 * OpenAI's verbose_json names the language in English words ("english", "german") and ElevenLabs
 * gives ISO 639-3 codes ("eng"); callers get ISO 639-1 codes from every provider, so the common
 * ones are mapped here (others pass through).
 */
export const LANGUAGE_CODES: Record<string, string> = {
  english: 'en',
  german: 'de',
  french: 'fr',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  polish: 'pl',
  swedish: 'sv',
  danish: 'da',
  norwegian: 'no',
  finnish: 'fi',
  czech: 'cs',
  greek: 'el',
  turkish: 'tr',
  russian: 'ru',
  ukrainian: 'uk',
  japanese: 'ja',
  chinese: 'zh',
  korean: 'ko',
  arabic: 'ar',
  hindi: 'hi',
};

const ISO_639_3: Record<string, string> = {
  eng: 'en',
  deu: 'de',
  ger: 'de',
  fra: 'fr',
  fre: 'fr',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  nld: 'nl',
  dut: 'nl',
  pol: 'pl',
  swe: 'sv',
  dan: 'da',
  nor: 'no',
  fin: 'fi',
  ces: 'cs',
  ell: 'el',
  tur: 'tr',
  rus: 'ru',
  ukr: 'uk',
  jpn: 'ja',
  zho: 'zh',
  kor: 'ko',
  ara: 'ar',
  hin: 'hi',
};

/** An ISO 639-1 code for a provider's language name or code, when known; else the value as given. */
export function languageCode(language: string): string {
  const value = language.trim().toLowerCase();
  return LANGUAGE_CODES[value] ?? ISO_639_3[value] ?? value;
}
