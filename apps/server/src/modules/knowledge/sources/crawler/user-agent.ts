/** How the crawler names itself: robots.txt rules are matched against the token. */
export const USER_AGENT_TOKEN = 'ConfidantBot';
export const USER_AGENT = `${USER_AGENT_TOKEN}/1.0 (+https://confidant.dev/bot)`;

/** Sent with every crawler request: who asks, and that pages are wanted. */
export const crawlerHeaders = {
  'user-agent': USER_AGENT,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5',
} as const;
