import { describe, expect, it } from 'vitest';
import { detectLanguage, parseSearchLanguage } from './language.js';

describe('detectLanguage', () => {
  it.each([
    [
      'english',
      'You can return any item within 30 days of delivery. We refund the price to your original payment method once the parcel reaches our warehouse.',
    ],
    [
      'french',
      'Vous pouvez retourner un article dans les 30 jours suivant la livraison. Nous remboursons le prix sur votre moyen de paiement dès réception du colis.',
    ],
    [
      'german',
      'Sie können jeden Artikel innerhalb von 30 Tagen nach der Lieferung zurücksenden. Wir erstatten den Preis, sobald das Paket bei uns eingetroffen ist.',
    ],
    [
      'spanish',
      'Puede devolver cualquier artículo dentro de los 30 días posteriores a la entrega. Reembolsamos el precio en cuanto recibimos el paquete en nuestro almacén.',
    ],
  ])('%s', (language, text) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it('reads Markdown: headings, emphasis and links do not confuse it', () => {
    expect(
      detectLanguage(
        '# Remboursements\n\n**Bon à savoir :** nous remboursons [votre commande](https://example.com/x) sous quatorze jours après réception du retour.',
      ),
    ).toBe('french');
  });

  it("answers 'simple' when the text is too short or in a language without a stemmer here", () => {
    expect(detectLanguage('cant log in')).toBe('simple');
    expect(detectLanguage('')).toBe('simple');
    expect(
      detectLanguage(
        '注文はどこですか。注文した商品がまだ届いていません。いつ届きますか。配送状況を教えてください。',
      ),
    ).toBe('simple');
    expect(
      detectLanguage('Gdzie jest moja paczka? Zamówiłem ją tydzień temu i nadal nie dotarła do mojego domu.'),
    ).toBe('simple');
  });

  it('parses stored values', () => {
    expect(parseSearchLanguage('french')).toBe('french');
    expect(parseSearchLanguage('klingon')).toBeNull();
    expect(parseSearchLanguage(3)).toBeNull();
  });
});
