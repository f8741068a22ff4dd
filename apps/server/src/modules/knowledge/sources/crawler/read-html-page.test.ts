import { describe, expect, it } from 'vitest';
import { readHtmlPage } from './read-html-page.js';
import { decodeHtml, hasNonHtmlExtension, toPageUrl, xRobotsDirectives } from './url-rules.js';

const page = new URL('https://help.example.com/guides/returns');

describe('readHtmlPage', () => {
  it('takes the main text with its outline and table, without chrome, and every link', () => {
    const result = readHtmlPage(
      `<html><head><title>Returns | Acme</title></head><body>
        <nav><a href="/">Home</a> MENU-ITEM</nav><aside>SIDEBAR-PROMO</aside>
        <main><h1>Returns</h1><p>Send items back within <a href="/policy">30 days</a>.</p>
        <h2>What you need</h2><ul><li>The receipt</li><li>The box</li></ul>
        <h3>Costs</h3><table><tr><th>Country</th><th>Cost</th></tr><tr><td>France</td><td>Free</td></tr><tr><td>Spain | Portugal</td><td>5 €</td></tr></table>
        <p><img src="/x.png" alt="Label example"> Print the label.</p>
        <script>var SCRIPT_TEXT = 1;</script></main>
        <footer>COPYRIGHT-LINE</footer></body></html>`,
      page,
    );
    expect(result.title).toBe('Returns');
    expect(result.markdown).toMatch(/^# Returns$/m);
    expect(result.markdown).toMatch(/^## What you need$/m);
    expect(result.markdown).toMatch(/^### Costs$/m);
    expect(result.markdown).toContain('Send items back within 30 days.');
    expect(result.markdown).toMatch(/^- +The receipt$/m);
    expect(result.markdown).toContain(
      '| Country | Cost |\n| --- | --- |\n| France | Free |\n| Spain \\| Portugal | 5 € |',
    );
    expect(result.markdown).toContain('Print the label.');
    for (const chrome of ['MENU-ITEM', 'SIDEBAR-PROMO', 'COPYRIGHT-LINE', 'SCRIPT_TEXT', '/policy']) {
      expect(result.markdown).not.toContain(chrome);
    }
    expect(result.links).toEqual(['https://help.example.com/', 'https://help.example.com/policy']);
  });

  it('resolves links against <base href>, skips rel=nofollow links, honours robots meta', () => {
    const result = readHtmlPage(
      `<html><head><base href="https://help.example.com/docs/"></head><body>
        <a href="intro">Intro</a> <a href="../up#part">Up</a> <a rel="nofollow" href="/login">Login</a> <a href="javascript:void(0)">JS</a>
        <p>Some text.</p></body></html>`,
      page,
    );
    expect(result.links).toEqual([
      'https://help.example.com/docs/intro',
      'https://help.example.com/up#part',
      'javascript:void(0)',
    ]);
    expect(result.noindex).toBe(false);
    const hidden = readHtmlPage(
      '<html><head><meta name="robots" content="noindex, nofollow"></head><body><a href="/x">x</a></body></html>',
      page,
    );
    expect(hidden).toMatchObject({ noindex: true, nofollow: true, links: [] });
    expect(readHtmlPage('<meta name="ConfidantBot" content="none"><p>x</p>', page)).toMatchObject({
      noindex: true,
      nofollow: true,
    });
    expect(readHtmlPage('<meta name="googlebot" content="noindex"><p>x</p>', page).noindex).toBe(false);
  });
});

describe('url rules', () => {
  it('spells page URLs one way and refuses what is not a page address', () => {
    expect(toPageUrl('HTTPS://Help.Example.COM:443/a/../b?q=1#frag')?.href).toBe(
      'https://help.example.com/b?q=1',
    );
    expect(toPageUrl('/x', page)?.href).toBe('https://help.example.com/x');
    for (const raw of [
      'mailto:a@b.c',
      'javascript:alert(1)',
      'ftp://x/',
      'https://u:p@x.example/',
      'not a url',
      `https://x.example/${'a'.repeat(3000)}`,
    ]) {
      expect(toPageUrl(raw), raw).toBeNull();
    }
    expect(hasNonHtmlExtension(new URL('https://x.example/manual.PDF'))).toBe(true);
    expect(hasNonHtmlExtension(new URL('https://x.example/guide.html'))).toBe(false);
    expect(hasNonHtmlExtension(new URL('https://x.example/guides/'))).toBe(false);
  });

  it('decodes by BOM, header charset or meta charset', () => {
    const latin1 = Buffer.from('<meta charset="iso-8859-1"><p>caf\xe9</p>', 'latin1');
    expect(decodeHtml(latin1, 'text/html')).toContain('café');
    expect(decodeHtml(Buffer.from('caf\xe9', 'latin1'), 'text/html; charset=windows-1252')).toBe('café');
    expect(decodeHtml(Buffer.from('café', 'utf8'), undefined)).toBe('café');
    expect(decodeHtml(Buffer.from('café', 'utf8'), 'text/html; charset=bogus-charset')).toBe('café');
  });

  it('reads X-Robots-Tag for us and ignores other crawlers’ directives', () => {
    expect(xRobotsDirectives('noindex')).toEqual({ noindex: true, nofollow: false });
    expect(xRobotsDirectives('googlebot: noindex')).toEqual({ noindex: false, nofollow: false });
    expect(xRobotsDirectives('ConfidantBot: none')).toEqual({ noindex: true, nofollow: true });
    expect(xRobotsDirectives(undefined)).toEqual({ noindex: false, nofollow: false });
  });
});
