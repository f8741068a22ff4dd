/**
 * Which URLs the crawler treats as pages of the site, and how it spells them. One spelling per
 * page (absolute, fragment removed, host lower-cased and default port dropped by the URL parser)
 * is what makes "seen" sets and knowledge_pages.url agree across crawls.
 */

const MAX_URL_LENGTH = 2048;

/** Paths that are clearly not HTML pages; skipped without a request. */
const NON_HTML_EXTENSION =
  /\.(?:pdf|zip|gz|tgz|tar|rar|7z|bz2|xz|exe|msi|dmg|pkg|deb|rpm|apk|iso|img|bin|png|jpe?g|gif|webp|avif|bmp|tiff?|ico|svg|heic|mp3|m4a|wav|ogg|flac|aac|mp4|m4v|mov|avi|wmv|mkv|webm|mpe?g|woff2?|ttf|otf|eot|css|js|mjs|map|json|xml|rss|atom|csv|xlsx?|docx?|pptx?|odt|ods|odp|rtf|txt|epub|wasm)$/i;

/** An absolute page URL from a link or a sitemap entry, or null when it is not an http(s) page address. */
export function toPageUrl(raw: string, base?: URL): URL | null {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  url.hash = '';
  if (url.href.length > MAX_URL_LENGTH) return null;
  return url;
}

export const hasNonHtmlExtension = (url: URL): boolean => NON_HTML_EXTENSION.test(url.pathname);

/** The media type without parameters, lower-cased ('' when absent). */
export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

export const isHtmlMediaType = (type: string): boolean =>
  type === 'text/html' || type === 'application/xhtml+xml';

/** For responses without a Content-Type: does the body look like HTML? */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').trimStart().toLowerCase();
  return (
    head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head)
  );
}

/** Decodes an HTML body by its BOM, its Content-Type charset or its <meta charset>, else UTF-8. */
export function decodeHtml(bytes: Uint8Array, contentType: string | undefined): string {
  let label: string | undefined;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = 'utf-8';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  label ??= /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  label ??= /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(
    Buffer.from(bytes.subarray(0, 2048)).toString('latin1'),
  )?.[1];
  try {
    return new TextDecoder(label ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * X-Robots-Tag directives that apply to us: unprefixed ones and those for "confidantbot:".
 * Directives for other crawlers ("googlebot: noindex") are ignored.
 */
export function xRobotsDirectives(header: string | undefined): { noindex: boolean; nofollow: boolean } {
  let noindex = false;
  let nofollow = false;
  let applies = true;
  for (const rawPart of (header ?? '').toLowerCase().split(',')) {
    let part = rawPart.trim();
    const prefixed = /^([a-z0-9_-]+)\s*:\s*(.*)$/.exec(part);
    if (
      prefixed &&
      !['unavailable_after', 'max-snippet', 'max-image-preview', 'max-video-preview'].includes(prefixed[1]!)
    ) {
      applies = prefixed[1] === 'confidantbot';
      part = prefixed[2]!;
    }
    if (!applies) continue;
    if (part === 'noindex' || part === 'none') noindex = true;
    if (part === 'nofollow' || part === 'none') nofollow = true;
  }
  return { noindex, nofollow };
}
