import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

/**
 * Builders for the documents the extractor tests feed in, so every fixture is made by the test
 * itself (no binary files in the repository). They write just enough of each format for real
 * readers (pdf.js, mammoth) to accept it.
 */

/** A line of body text, or a heading drawn at 20 pt. */
export type PdfLine = string | { heading: string };

const pdfString = (text: string) => `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * A minimal PDF: one page per entry of `pages`, each line drawn in Helvetica. `encrypt` adds a
 * Standard security handler whose password check fails for the empty password, which is what a
 * password-protected PDF looks like to a reader without the password. `compressedPadding` pads
 * the first page's content stream with that many spaces and Flate-compresses it (a PDF bomb when
 * large).
 */
export function buildPdf(
  pages: PdfLine[][],
  options: { title?: string; encrypt?: boolean; compressedPadding?: number } = {},
): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  const pageCount = pages.length;
  const firstPage = 4;
  const fontId = firstPage + pageCount * 2;
  const infoId = fontId + 1;
  const encryptId = infoId + 1;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const kids = pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pageCount} >>`);
  add('<< >>'); // 3: unused, keeps numbering simple
  pages.forEach((lines, i) => {
    const drawn = lines.map((l) =>
      typeof l === 'string'
        ? `/F1 12 Tf ${pdfString(l)} Tj T*`
        : `/F1 20 Tf ${pdfString(l.heading)} Tj T* T*`,
    );
    const stream = `BT 72 720 Td 14 TL ${drawn.join(' ')} ET`;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${firstPage + i * 2 + 1} 0 R >>`,
    );
    if (i === 0 && options.compressedPadding) {
      // Whitespace is harmless in a content stream and compresses about a thousandfold.
      const packed = deflateSync(`${stream}${' '.repeat(options.compressedPadding)}`).toString('latin1');
      add(`<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n${packed}\nendstream`);
    } else add(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  });
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add(`<< ${options.title ? `/Title ${pdfString(options.title)}` : ''} /Producer (confidant tests) >>`);
  if (options.encrypt) {
    const hex32 = (byte: string) => `<${byte.repeat(32)}>`;
    add(`<< /Filter /Standard /V 1 /R 2 /O ${hex32('4f')} /U ${hex32('a5')} /P -4 >>`);
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const id = '<00112233445566778899aabbccddeeff>';
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoId} 0 R /ID [${id} ${id}]${options.encrypt ? ` /Encrypt ${encryptId} 0 R` : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Paragraph-level content of a DOCX built by `buildDocx`. */
export type DocxBlock =
  | { heading: 1 | 2 | 3; text: string }
  | { paragraph: string }
  | { bullet: string }
  | { table: string[][] };

const run = (text: string) => `<w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r>`;

function docxBlock(block: DocxBlock): string {
  if ('heading' in block) {
    return `<w:p><w:pPr><w:pStyle w:val="Heading${block.heading}"/></w:pPr>${run(block.text)}</w:p>`;
  }
  if ('paragraph' in block) return `<w:p>${run(block.paragraph)}</w:p>`;
  if ('bullet' in block) {
    return `<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>${run(block.bullet)}</w:p>`;
  }
  const rows = block.table
    .map((cells) => `<w:tr>${cells.map((c) => `<w:tc><w:p>${run(c)}</w:p></w:tc>`).join('')}</w:tr>`)
    .join('');
  return `<w:tbl>${rows}</w:tbl>`;
}

/** The parts of a minimal Word document, as a zip entry map (tests may add or alter entries). */
export function docxEntries(
  blocks: DocxBlock[],
  options: { title?: string } = {},
): Record<string, Uint8Array> {
  const headingStyles = [1, 2, 3]
    .map(
      (n) => `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/></w:style>`,
    )
    .join('');
  const entries: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
    'word/_rels/document.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>',
    'word/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${headingStyles}<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style></w:styles>`,
    'word/numbering.xml': `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${blocks.map(docxBlock).join('')}</w:body></w:document>`,
    'docProps/core.xml': `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">${options.title ? `<dc:title>${xmlEscape(options.title)}</dc:title>` : ''}</cp:coreProperties>`,
  };
  return Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, strToU8(text)]));
}

/** A minimal .docx file holding `blocks`. */
export function buildDocx(blocks: DocxBlock[], options: { title?: string } = {}): Uint8Array {
  return zipSync(docxEntries(blocks, options));
}

/**
 * Rewrites the uncompressed size an archive declares for `name` (in its local header and its
 * central directory), making a "lying" archive whose entry inflates past what it claims.
 */
export function withDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  const nameBytes = Buffer.from(name);
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) {
      const len = view.getUint16(i + 26, true);
      if (Buffer.from(out.subarray(i + 30, i + 30 + len)).equals(nameBytes))
        view.setUint32(i + 22, size, true);
    } else if (sig === 0x02014b50) {
      const len = view.getUint16(i + 28, true);
      if (Buffer.from(out.subarray(i + 46, i + 46 + len)).equals(nameBytes))
        view.setUint32(i + 24, size, true);
    }
  }
  return out;
}
