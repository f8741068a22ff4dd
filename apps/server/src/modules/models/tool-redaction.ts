import type { ToolExecutionOptions, ToolSet } from 'ai';
import type { Redactor } from './redaction/index.js';

/**
 * The privacy invariant of tool calling (gateway.ts): the model works with placeholders, tools
 * with real values. Each tool's execute is wrapped so that
 * - its input has the call's placeholders restored ("[EMAIL_1]" → the visitor's address) before
 *   the business's API sees it — only placeholders this redactor issued, anything else as is;
 * - its output is redacted by the same redactor before the model reads it, so a value the
 *   conversation already had keeps its placeholder and a new one (an address on the order) gets
 *   the next number.
 * Strings are handled wherever they sit in JSON-like values (objects, arrays); keys are left as
 * they are (schema names, not data). Tools without execute (none here) pass through unchanged.
 */
export function redactToolSet(tools: ToolSet, redactor: Redactor, onRun: () => void): ToolSet {
  const wrapped: ToolSet = {};
  for (const [name, tool] of Object.entries(tools)) {
    const execute = tool.execute as ((input: unknown, options: ToolExecutionOptions) => unknown) | undefined;
    if (!execute) {
      wrapped[name] = tool;
      continue;
    }
    wrapped[name] = {
      ...tool,
      execute: async (input: unknown, options: ToolExecutionOptions) => {
        onRun();
        const output = await execute(
          mapStrings(input, (s) => redactor.restore(s)),
          options,
        );
        return mapStrings(output, (s) => redactor.redact(s));
      },
    } as ToolSet[string];
  }
  return wrapped;
}

/** A copy of a JSON-like value with every string passed through `f`. */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}
