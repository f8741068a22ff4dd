/**
 * The text colour to put on an accent colour so it stays readable: white or black, whichever
 * contrasts more (WCAG 2.x relative luminance). One of the two always reaches at least 4.58:1, so
 * any accent passes AA for normal text; a near-black would not (mid greys reach only ~4.45:1).
 * A tiny pure function, exported on its own path so the "types only" main entry stays code-free;
 * the server (widget config) and the widget's launcher (an accent from the embed snippet) share it.
 */
export function readableTextOn(accent: string): '#ffffff' | '#000000' {
  const channel = (i: number) => {
    const c = Number.parseInt(accent.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white (1.05 / (L + 0.05)) vs with black ((L + 0.05) / 0.05).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** The WCAG contrast ratio of two #rrggbb colours (for tests and the console's hint). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const channel = (i: number) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
