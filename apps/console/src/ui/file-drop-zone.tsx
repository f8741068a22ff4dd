import { Upload } from 'lucide-react';
import { type ReactNode, useRef, useState } from 'react';
import { Button } from './button';
import './file-drop-zone.css';

/**
 * Drop several files here, or choose them with the button (keyboard and screen readers use the
 * button; the drop zone is a pointer shortcut for it). `accept` is a hint for the file picker only:
 * the server sniffs every file's format from its bytes. `children` is the zone's text.
 */
export function FileDropZone({
  label,
  buttonLabel,
  accept,
  className,
  onFiles,
  children,
}: {
  /** Names the group for assistive technology, e.g. "Add files". */
  label: string;
  buttonLabel: string;
  accept: string;
  className?: string;
  onFiles: (files: File[]) => void;
  children: ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  return (
    <fieldset
      aria-label={label}
      className={['drop-zone', className, dragging && 'drop-zone-active'].filter(Boolean).join(' ')}
      onDragEnter={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragOver={(e) => e.preventDefault()}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const files = [...e.dataTransfer.files];
        if (files.length > 0) onFiles(files);
      }}
    >
      <span className="drop-zone-icon" aria-hidden="true">
        <Upload />
      </span>
      {children}
      <Button variant="primary" onClick={() => input.current?.click()}>
        {buttonLabel}
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        accept={accept}
        hidden
        tabIndex={-1}
        aria-label={buttonLabel}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </fieldset>
  );
}
