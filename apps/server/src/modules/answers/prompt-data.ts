/**
 * Untrusted text (knowledge passages, visitor messages) goes to the model as data inside
 * delimited blocks (system-prompt.ts). This neutralises everything in such text that could pass
 * for a delimiter or a role marker, so the text cannot close its block early, open a fake one, or
 * pose as a system or assistant turn:
 * - our own block tags (`<knowledge>`, `</passage>`, `<rules>`, `<business_instructions>`, …,
 *   any case, with spaces or attributes): the `<` becomes `‹`, so they read the same to a person
 *   and no longer match the real tags;
 * - chat-template tokens of common model families (`<|im_start|>`, `<|system|>`, `[INST]`,
 *   `<<SYS>>`, `<start_of_turn>`);
 * - lines that start with a role label ("system:", "### Instruction:", "assistant:"): quoted
 *   with "> " so they read as quoted text, not as a new turn.
 * Nothing else changes: the model still reads the words (it must, to answer), and a passage
 * that contains none of these is passed through byte for byte.
 *
 * This is a control around the model, not a guarantee about the model: a model can still choose
 * to follow an instruction written in plain words inside a passage. The rules tell it not to,
 * and the output guards (output-guard.ts, link-guard.ts) check what comes back.
 */
const BLOCK_TAG =
  /<(\s*\/?\s*(?:knowledge|passage|rules|reminder|business_instructions|instructions|system|visitor|data|tool)\b)/gi;
const TEMPLATE_TOKENS: [RegExp, string][] = [
  [/<\|/g, '‹|'],
  [/\|>/g, '|›'],
  [/\[(\/?)INST\]/gi, '($1INST)'],
  [/<<(\/?)SYS>>/gi, '‹‹$1SYS››'],
  [/<(\/?)(start_of_turn|end_of_turn)>/gi, '‹$1$2›'],
];
const ROLE_LINE =
  /^([ \t]*)((?:#{1,6}[ \t]*)?(?:system|assistant|developer|user|human|ai|instructions?|new instructions|admin(?:istrator)?)[ \t]*(?:message|prompt|override)?[ \t]*:)/gim;

export function neutraliseDelimiters(text: string): string {
  let out = text.replace(BLOCK_TAG, '‹$1');
  for (const [pattern, replacement] of TEMPLATE_TOKENS) out = out.replace(pattern, replacement);
  return out.replace(ROLE_LINE, '$1> $2');
}
