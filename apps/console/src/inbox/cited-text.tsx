import type { Citation } from '@confidant/contract';
import {
  type CitationNumbering,
  hostOf,
  numberCitations,
  safeUrl,
  splitMarkers,
} from '@confidant/contract/citation-markers';
import { FileText } from 'lucide-react';
import { Fragment, useMemo } from 'react';
import './cited-text.css';

/**
 * An answer as the visitor saw it in the widget: `[n]` markers become small numbered references
 * to its sources, and the sources are listed under it with the same numbers (the numbering is
 * the widget's: @confidant/contract/citation-markers). A source with an http(s) address is a
 * link opening in a new tab; one without (an uploaded file) a chip with the title as tooltip.
 * Code spans (`…`) keep their markers literally; the text stays plain text (no Markdown here).
 */
export function useCitationNumbering(text: string, citations: Citation[]): CitationNumbering {
  return useMemo(() => numberCitations(text, citations), [text, citations]);
}

export function CitedText({
  text,
  numbering,
  className,
}: {
  text: string;
  numbering: CitationNumbering;
  className: string;
}) {
  // Odd pieces are code spans, shown as written.
  const pieces = text.split(/(`[^`]+`)/);
  return (
    <p className={className}>
      {pieces.map((piece, i) =>
        i % 2 === 1 ? (
          piece
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one immutable text, in order
          <Fragment key={i}>
            {splitMarkers(piece, numbering.numberOf).map((part, j) =>
              typeof part === 'string' ? (
                part
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above
                <sup className="cites" key={j}>
                  {part.map((n) => (
                    <CiteMark key={n} n={n} source={numbering.sources[n - 1] as Citation} />
                  ))}
                </sup>
              ),
            )}
          </Fragment>
        ),
      )}
    </p>
  );
}

function CiteMark({ n, source }: { n: number; source: Citation }) {
  const label = `Source ${n}: ${source.title}`;
  const url = safeUrl(source.url);
  return url ? (
    <a
      className="cite"
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={label}
      title={source.title}
    >
      {n}
    </a>
  ) : (
    <span className="cite" title={source.title}>
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** The sources under an answer, numbered like its markers (a CSS counter): title and host. */
export function SourceList({ sources, className }: { sources: Citation[]; className: string }) {
  if (sources.length === 0) return null;
  return (
    <ol className={className} aria-label="Sources">
      {sources.map((c) => {
        const url = safeUrl(c.url);
        return (
          <li key={c.sourceId}>
            <FileText aria-hidden="true" />
            {url ? (
              <span>
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {c.title}
                </a>
                <span className="source-host"> · {hostOf(url)}</span>
              </span>
            ) : (
              <span>{c.title}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
