import { createHash } from 'node:crypto';

/**
 * The /demo page: a fictional outdoor-gear store with the widget embedded by its one script tag.
 * Its CSP is strict — scripts, styles and connections from this origin only, the one inline
 * <style> allowed by hash — which shows the widget needs no CSP exceptions (its styles are
 * constructed stylesheets inside its shadow root).
 */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const styles = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #1c2b26; background: #fbfaf7; line-height: 1.5; }
a { color: inherit; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
.topbar { background: #1d3a31; color: #d9e8e1; font-size: 13px; text-align: center; padding: 7px 12px; }
nav { display: flex; align-items: center; justify-content: space-between; padding: 18px 0; }
.logo { display: flex; align-items: center; gap: 10px; font-weight: 800; font-size: 20px; letter-spacing: -0.01em; color: #1d3a31; text-decoration: none; }
.logo-mark { width: 34px; height: 34px; border-radius: 9px; background: linear-gradient(135deg, #2f5d50, #6a9c78); position: relative; overflow: hidden; }
.logo-mark::after { content: ''; position: absolute; inset: 9px 5px 0; background: #f3efe4; clip-path: polygon(0 100%, 38% 20%, 55% 55%, 72% 35%, 100% 100%); }
.links { display: flex; gap: 26px; font-size: 15px; }
.links a { text-decoration: none; color: #35483f; }
.links a:hover { color: #1d3a31; text-decoration: underline; }
.hero { position: relative; overflow: hidden; border-radius: 20px; margin: 6px 0 40px; min-height: 360px; color: #fff;
  background: linear-gradient(180deg, #f6c177 0%, #e98a5b 38%, #7b5a8c 72%, #2f3f63 100%); }
.hero::before { content: ''; position: absolute; inset: auto 0 0 0; height: 62%; background: #3b5a52; clip-path: polygon(0 100%, 0 55%, 14% 30%, 27% 52%, 42% 8%, 58% 46%, 70% 26%, 84% 50%, 100% 22%, 100% 100%); }
.hero::after { content: ''; position: absolute; inset: auto 0 0 0; height: 40%; background: #1d3a31; clip-path: polygon(0 100%, 0 60%, 18% 35%, 33% 62%, 50% 28%, 66% 58%, 80% 40%, 100% 64%, 100% 100%); }
.hero-text { position: relative; z-index: 1; padding: 56px 48px; max-width: 560px; }
.hero h1 { margin: 0 0 12px; font-size: 44px; line-height: 1.08; letter-spacing: -0.02em; text-shadow: 0 2px 12px rgba(0,0,0,0.18); }
.hero p { margin: 0 0 22px; font-size: 18px; opacity: 0.95; }
.button { display: inline-block; background: #fff; color: #1d3a31; font-weight: 700; padding: 12px 20px; border-radius: 999px; text-decoration: none; }
h2 { font-size: 26px; margin: 0 0 18px; letter-spacing: -0.01em; color: #1d3a31; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 20px; margin-bottom: 48px; }
.card { background: #fff; border: 1px solid #e7e2d6; border-radius: 16px; overflow: hidden; }
.art { height: 150px; position: relative; }
.art::after { content: ''; position: absolute; left: 50%; top: 50%; width: 84px; height: 84px; transform: translate(-50%, -50%); background: rgba(255,255,255,0.85); }
.tent { background: linear-gradient(135deg, #d8e7d0, #9cc1a4); } .tent::after { clip-path: polygon(50% 8%, 100% 92%, 0 92%); }
.jacket { background: linear-gradient(135deg, #f5d9c4, #e29e7a); } .jacket::after { clip-path: polygon(30% 5%, 70% 5%, 100% 30%, 88% 45%, 80% 40%, 80% 95%, 20% 95%, 20% 40%, 12% 45%, 0 30%); }
.shell { background: linear-gradient(135deg, #cfe0ef, #7fa7cf); } .shell::after { clip-path: polygon(35% 0, 65% 0, 100% 28%, 86% 44%, 78% 38%, 78% 100%, 22% 100%, 22% 38%, 14% 44%, 0 28%); }
.pack { background: linear-gradient(135deg, #efe3c4, #cfb277); } .pack::after { border-radius: 28px 28px 12px 12px; width: 70px; }
.boots { background: linear-gradient(135deg, #e3d6cc, #a98b77); } .boots::after { clip-path: polygon(20% 0, 55% 0, 55% 55%, 100% 70%, 100% 100%, 20% 100%); }
.tee { background: linear-gradient(135deg, #e5dcef, #a792c9); } .tee::after { clip-path: polygon(25% 5%, 75% 5%, 100% 25%, 85% 40%, 78% 35%, 78% 100%, 22% 100%, 22% 35%, 15% 40%, 0 25%); }
.card-body { padding: 14px 16px 16px; }
.card-body h3 { margin: 0 0 4px; font-size: 16px; }
.card-body p { margin: 0; color: #5b6b63; font-size: 14px; }
.price { font-weight: 700; color: #1d3a31; margin-top: 8px !important; font-size: 15px !important; }
.help { display: grid; grid-template-columns: 1.2fr 1fr; gap: 28px; align-items: center; background: #eef3ef; border-radius: 20px; padding: 32px; margin-bottom: 48px; }
.help p { margin: 0 0 10px; color: #35483f; }
.snippet { background: #17241f; color: #cfe8dc; border-radius: 12px; padding: 16px; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.note { font-size: 13px; color: #5b6b63; }
footer { border-top: 1px solid #e7e2d6; padding: 24px 0 90px; font-size: 14px; color: #5b6b63; }
@media (max-width: 760px) { .links { display: none; } .help { grid-template-columns: 1fr; } .hero h1 { font-size: 34px; } .hero-text { padding: 36px 24px; } }
`;

const styleHash = createHash('sha256').update(styles).digest('base64');

/** The page's Content-Security-Policy: nothing from anywhere but this origin. */
export const demoCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  `style-src 'self' 'sha256-${styleHash}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const products = [
  ['tent', 'Ridgeline 2P Tent', 'Freestanding, 1.9 kg, three seasons', '$389'],
  ['jacket', 'Alder Down Jacket', '800-fill responsibly sourced down', '$249'],
  ['shell', 'Cascade Rain Shell', 'Three-layer waterproof, fully taped', '$189'],
  ['pack', 'Summit 45L Pack', 'Adjustable torso, rain cover included', '$219'],
  ['boots', 'Trailhead Hiking Boots', 'Waterproof leather, Vibram soles', '$169'],
  ['tee', 'Basecamp Merino Tee', '150 g/m² merino, odour resistant', '$65'],
] as const;

/** Renders the demo store page for the demo agent's publishable key. */
export function renderDemoPage(input: { publishableKey: string; baseUrl: string; look: string }): string {
  const key = escapeHtml(input.publishableKey);
  // input.look: the agent's launcher look as script attributes (agents/appearance.ts lookAttributes).
  const snippet = escapeHtml(
    `<script src="${input.baseUrl}/widget.js" data-agent-key="${input.publishableKey}"${input.look} async></script>`,
  );
  const cards = products
    .map(
      ([art, name, blurb, price]) => `
      <article class="card">
        <div class="art ${art}" role="img" aria-label="${escapeHtml(name)}"></div>
        <div class="card-body"><h3>${escapeHtml(name)}</h3><p>${escapeHtml(blurb)}</p><p class="price">${price}</p></div>
      </article>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Outfitters — Confidant demo</title>
<style>${styles}</style>
</head>
<body>
<div class="topbar">Free standard shipping on U.S. orders over $75 · 60-day returns</div>
<div class="wrap">
  <nav aria-label="Main">
    <a class="logo" href="/demo"><span class="logo-mark" aria-hidden="true"></span>Northwind Outfitters</a>
    <div class="links"><a href="#gear">Gear</a><a href="#help">Help</a><a href="#gear">Stores</a></div>
  </nav>
  <main>
    <section class="hero" aria-labelledby="hero-title">
      <div class="hero-text">
        <h1 id="hero-title">Gear for the long way round.</h1>
        <p>Tents, packs and layers built to last — with a lifetime warranty on everything we make.</p>
        <a class="button" href="#gear">Shop new arrivals</a>
      </div>
    </section>
    <section id="gear" aria-labelledby="gear-title">
      <h2 id="gear-title">New this season</h2>
      <div class="grid">${cards}
      </div>
    </section>
    <section id="help" class="help" aria-labelledby="help-title">
      <div>
        <h2 id="help-title">Questions? Ask our assistant.</h2>
        <p>Shipping, returns, refunds, sizing, repairs — the chat in the bottom-right corner answers from
        Northwind's help articles and shows its sources.</p>
        <p class="note">It sets no cookies and stores nothing in your browser. Try: “How long do refunds take?”</p>
      </div>
      <div>
        <p class="note">The whole integration is one tag:</p>
        <pre class="snippet">${snippet}</pre>
      </div>
    </section>
  </main>
  <footer>Northwind Outfitters is a fictional store: a demo of <strong>Confidant</strong>, the privacy-first support assistant. Nothing here is for sale.</footer>
</div>
<script src="/widget.js" data-agent-key="${key}"${input.look} async></script>
</body>
</html>
`;
}
