import type { ComposedNotification } from '../notifications/compose.js';
import type { Limits } from './usage-limits.js';

/** The words of the 80% / 100% monthly usage notice sent to an organization's admins. */
export function usageThreshold(input: {
  threshold: 80 | 100;
  month: string;
  used: { messages: number; tokens: number; costUsd: number };
  limits: Limits;
}): ComposedNotification {
  const { used, limits } = input;
  const line = (label: string, value: string, limit: number | null, show: (n: number) => string) =>
    limit === null ? [] : [`- ${label}: ${value} of ${show(limit)}`];
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return {
    kind: 'usage_threshold',
    subject:
      input.threshold >= 100
        ? `Usage limit reached for ${input.month}: answers no longer use a model`
        : `Usage at ${input.threshold}% of this month's limit (${input.month})`,
    body: [
      input.threshold >= 100
        ? 'Your organization reached its monthly usage limit. Visitors still get answers: until the month ends or the limit is raised, agents answer by quoting your knowledge (extractive answers) instead of calling a model.'
        : `Your organization used ${input.threshold}% of a monthly usage limit.`,
      '',
      ...line('Messages', String(used.messages), limits.monthlyMessages, String),
      ...line('Tokens', String(used.tokens), limits.monthlyTokens, String),
      ...line('Cost', usd(used.costUsd), limits.monthlyCostUsd, usd),
      '',
      'Admins can change the limits in the console under Usage.',
    ].join('\n'),
  };
}
