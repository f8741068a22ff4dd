import { describe, expect, it } from 'vitest';
import { themeCss } from './theme.js';

describe('the widget theme from an agent accent', () => {
  it('sets the accent, a readable text colour on it, and the ink used on white', () => {
    expect(themeCss({ accentColor: '#0f766e' })).toBe(
      ':host{--accent:var(--confidant-accent,#0f766e);--accent-contrast:var(--confidant-accent-contrast,#ffffff);--accent-ink:var(--confidant-accent-ink,#0f766e)}',
    );
    // A light accent gets black text, and dark ink where it would be text on white.
    const light = themeCss({ accentColor: '#FDE047' });
    expect(light).toContain('--accent-contrast:var(--confidant-accent-contrast,#000000)');
    expect(light).toContain('--accent-ink:var(--confidant-accent-ink,#1f2933)');
  });

  it('writes nothing but a #rrggbb value into the stylesheet', () => {
    for (const accentColor of [undefined, '', 'red', '#fff', 'red}:host{color:red', '#0f766e;x:y', 'url(x)'])
      expect(themeCss({ accentColor })).toBe('');
  });
});
