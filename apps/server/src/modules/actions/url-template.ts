import type { ActionMethod } from '../../platform/db/schema/index.js';

/**
 * An action's URL template: an http(s) URL whose path (or query) holds `{name}` placeholders,
 * one per parameter it takes, e.g. `https://shop.example/api/orders/{orderId}`. Each value is
 * percent-encoded as one URL component (encodeURIComponent), so a value can never add a path
 * segment, a query or change the host. Placeholders are not allowed in the scheme or host: the
 * address an action reaches is fixed when it is saved (and checked by the outbound guard then).
 *
 * The parameters the template does not use go in the query string for GET and DELETE, and in a
 * JSON body otherwise.
 */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The template with every placeholder filled by a neutral value, to parse and check the URL. */
export function templateBaseUrl(template: string): URL {
  return new URL(template.replace(PLACEHOLDER, 'x'));
}

/** Why a template cannot be saved, or null. `parameterNames` are the action's parameters. */
export function templateProblem(template: string, parameterNames: readonly string[]): string | null {
  let url: URL;
  try {
    url = templateBaseUrl(template);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.username || url.password) return 'must not hold a user name or password (use a header)';
  const origin = template.match(/^[a-z]+:\/\/[^/?#]*/i)?.[0] ?? '';
  if (origin.includes('{')) return 'the host cannot hold a placeholder';
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) return 'has an unbalanced { or }';
  const unknown = placeholders(template).filter((name) => !parameterNames.includes(name));
  if (unknown.length > 0) return `uses {${unknown[0]}}, which is not a parameter`;
  return null;
}

export type ActionRequest = { url: string; body: string | undefined };

/**
 * Builds the request of one call: placeholders replaced (a missing value becomes empty), the
 * other values in the query (GET, DELETE) or a JSON body (POST, PUT, PATCH; `{}` when none).
 */
export function buildActionRequest(
  template: string,
  method: ActionMethod,
  values: Readonly<Record<string, string | number | boolean>>,
): ActionRequest {
  const used = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    used.add(name);
    const value = values[name];
    return value === undefined ? '' : encodeURIComponent(String(value));
  });
  const url = new URL(filled);
  const rest = Object.entries(values).filter(([name]) => !used.has(name));
  if (method === 'GET' || method === 'DELETE') {
    for (const [name, value] of rest) url.searchParams.append(name, String(value));
    return { url: url.href, body: undefined };
  }
  return { url: url.href, body: JSON.stringify(Object.fromEntries(rest)) };
}
