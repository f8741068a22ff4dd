import type { KnowledgeSource } from '@confidant/contract';
import { Upload, X } from 'lucide-react';
import { type DragEvent, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { uploadFile } from './upload-file';

type UploadItem = { id: number; name: string; state: 'uploading' | 'failed'; error?: string };

/** A hint for the file picker only: the server sniffs the format from the bytes. */
const ACCEPT = '.pdf,.docx,.html,.htm,.md,.markdown,.txt,.csv,.json';

/**
 * Drop several files here, or choose them with the "Upload files" button (keyboard and screen
 * readers use the button; the drop zone is a pointer shortcut). Each file is its own request, all
 * at once; a file the server refuses shows why (the problem's detail) without stopping the rest.
 * Uploaded files leave this list: they appear in the sources table, indexing.
 */
export function UploadZone({
  orgId,
  onUploaded,
}: {
  orgId: string;
  onUploaded: (source: KnowledgeSource) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const nextId = useRef(1);
  const [dragging, setDragging] = useState(false);
  const [uploads, setUploads] = useState<UploadItem[]>([]);

  const update = (id: number, change: Partial<UploadItem> | null) =>
    setUploads((all) =>
      change === null
        ? all.filter((u) => u.id !== id)
        : all.map((u) => (u.id === id ? { ...u, ...change } : u)),
    );

  const send = (files: readonly File[]) => {
    const started = files.map((file) => ({
      id: nextId.current++,
      name: file.name,
      state: 'uploading' as const,
    }));
    setUploads((all) => [...all, ...started]);
    files.forEach((file, i) => {
      const { id } = started[i]!;
      uploadFile(orgId, file).then(
        (source) => {
          update(id, null);
          onUploaded(source);
        },
        (error: unknown) => update(id, { state: 'failed', error: describeError(error) }),
      );
    });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) send(files);
  };

  return (
    <div className="upload">
      {/* A group named for what it does; dropping is the pointer shortcut for the button inside. */}
      <fieldset
        aria-label="Add files"
        className={dragging ? 'drop-zone drop-zone-active' : 'drop-zone'}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <span className="drop-zone-icon" aria-hidden="true">
          <Upload />
        </span>
        <p className="drop-zone-title">Drop files here to add them</p>
        <p className="drop-zone-hint">
          PDF, Word, HTML, Markdown, text, CSV or a JSON FAQ — several at once.
        </p>
        <Button variant="primary" onClick={() => input.current?.click()}>
          Upload files
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          tabIndex={-1}
          aria-label="Upload files"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) send(files);
          }}
        />
      </fieldset>
      {uploads.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.id} className={u.state === 'failed' ? 'upload-item upload-failed' : 'upload-item'}>
              <span className="upload-name">{u.name}</span>
              {u.state === 'uploading' ? (
                <span className="upload-state" role="status">
                  Uploading…
                </span>
              ) : (
                <>
                  <span className="upload-state" role="alert">
                    Not added: {u.error}
                  </span>
                  <Button
                    size="sm"
                    variant="ghost"
                    iconOnly
                    aria-label={`Dismiss ${u.name}`}
                    onClick={() => update(u.id, null)}
                  >
                    <X />
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
