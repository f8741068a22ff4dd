import type { CannedResponse } from '@confidant/contract';

/** The canned responses whose shortcut starts with what follows the `/` the reply begins with. */
export function matchCanned(text: string, all: CannedResponse[] | undefined): CannedResponse[] {
  const typed = /^\/([a-z0-9_-]*)$/i.exec(text);
  if (!typed || !all) return [];
  const prefix = typed[1]!.toLowerCase();
  return all.filter((c) => c.shortcut.startsWith(prefix)).slice(0, 8);
}

/**
 * The suggestions list under the reply box. The textarea keeps focus and points at the active
 * option with aria-activedescendant; ↑/↓ move, Enter or Tab insert, Escape dismisses.
 */
export function CannedSuggestions({
  id,
  options,
  active,
  onPick,
}: {
  id: string;
  options: CannedResponse[];
  active: number;
  onPick: (option: CannedResponse) => void;
}) {
  return (
    <div id={id} className="canned-list" role="listbox" aria-label="Canned responses">
      {options.map((option, index) => (
        <div
          key={option.id}
          id={`${id}-${index}`}
          role="option"
          tabIndex={-1}
          aria-selected={index === active}
          className="canned-option"
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(option);
          }}
        >
          <span className="canned-shortcut">/{option.shortcut}</span>
          <span className="canned-text">{option.text}</span>
        </div>
      ))}
    </div>
  );
}
