import { escapeBody, type FaqEntry, faqToMarkdown, oneLine } from './faq-markdown.js';
import { ExtractionError } from './types.js';

/**
 * JSON FAQ files: an array of entries, or an object holding one under `faqs` (or `faq`,
 * `questions`, `items`, `entries`). An entry is `{ question, answer }`, `{ q, a }` or
 * `{ title, body }` (keys case-insensitive). Anything else is refused with the expected shape.
 */

const QUESTION_KEYS = ['question', 'q', 'title'];
const ANSWER_KEYS = ['answer', 'a', 'body', 'response', 'content'];
const WRAPPER_KEYS = ['faqs', 'faq', 'questions', 'items', 'entries'];

const SHAPE =
  'a JSON FAQ file holds an array of { "question", "answer" } objects (or { "q", "a" }, or { "title", "body" }), or { "faqs": [ … ] }';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function field(entry: Record<string, unknown>, keys: string[]): unknown {
  for (const [key, value] of Object.entries(entry)) if (keys.includes(key.toLowerCase())) return value;
  return undefined;
}

export function extractJsonFaq(text: string, maxEntries: number): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ExtractionError(`The file is not valid JSON; ${SHAPE}`);
  }
  if (isObject(data)) {
    const wrapped = Object.entries(data).find(
      ([k, v]) => WRAPPER_KEYS.includes(k.toLowerCase()) && Array.isArray(v),
    );
    data = wrapped?.[1];
  }
  if (!Array.isArray(data)) throw new ExtractionError(`The JSON file has no list of FAQ entries: ${SHAPE}`);
  if (data.length > maxEntries) {
    throw new ExtractionError(
      `The JSON file has more than ${maxEntries} entries (the limit); split it into smaller files`,
    );
  }
  const entries: FaqEntry[] = [];
  data.forEach((entry, i) => {
    const question = isObject(entry) ? field(entry, QUESTION_KEYS) : undefined;
    const answer = isObject(entry) ? field(entry, ANSWER_KEYS) : undefined;
    if (typeof question !== 'string' || typeof answer !== 'string') {
      throw new ExtractionError(`Entry ${i + 1} of the JSON file has no text question and answer: ${SHAPE}`);
    }
    const heading = oneLine(question);
    const body = escapeBody(answer);
    if (heading && body) entries.push({ heading, body });
  });
  if (entries.length === 0) throw new ExtractionError('The JSON file has no FAQ entry with text', 'empty');
  return faqToMarkdown(entries);
}
