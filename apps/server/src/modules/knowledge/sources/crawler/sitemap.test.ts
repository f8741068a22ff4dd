import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseSitemap } from './sitemap.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseSitemap', () => {
  it('reads a urlset, with entities and namespaces', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
        <url><loc> https://help.example.com/a?x=1&amp;y=2 </loc><lastmod>2025-01-01</lastmod></url>
        <url><loc>https://help.example.com/b</loc><image:image><image:loc>https://cdn.example.com/i.png</image:loc></image:image></url>
      </urlset>`;
    expect(parseSitemap(bytes(xml))).toEqual({
      pages: ['https://help.example.com/a?x=1&y=2', 'https://help.example.com/b'],
      sitemaps: [],
    });
  });

  it('reads a sitemap index, a single entry, gzip and plain text', () => {
    const index = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.example/s1.xml</loc></sitemap></sitemapindex>`;
    expect(parseSitemap(bytes(index))).toEqual({ pages: [], sitemaps: ['https://x.example/s1.xml'] });
    const one = '<urlset><url><loc>https://x.example/only</loc></url></urlset>';
    expect(parseSitemap(gzipSync(bytes(one))).pages).toEqual(['https://x.example/only']);
    expect(
      parseSitemap(bytes('\uFEFFhttps://x.example/1\r\nnot a url\nhttps://x.example/2\n')).pages,
    ).toEqual(['https://x.example/1', 'https://x.example/2']);
  });

  it('gives nothing for documents that are not sitemaps', () => {
    expect(parseSitemap(bytes('<html><body>Not found</body></html>'))).toEqual({ pages: [], sitemaps: [] });
    expect(parseSitemap(bytes(''))).toEqual({ pages: [], sitemaps: [] });
  });
});
