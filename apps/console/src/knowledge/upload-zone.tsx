import type { KnowledgeSource } from '@confidant/contract';
import { X } from 'lucide-react';
import { useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { FileDropZone } from '../ui/file-drop-zone';
import { uploadFile } from './upload-file';

type UploadItem = { id: number; name: string; state: 'uploading' | 'failed'; error?: string };

/** A hint for the file picker only: the server sniffs the format from the bytes. */
const ACCEPT = '.pdf,.docx,.html,.htm,.md,.markdown,.txt,.csv,.json';

/**
 * Knowledge files dropped or chosen in the drop zone. Each file is its own request, all
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
  const nextId = useRef(1);
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

  return (
    <div className="upload">
      <FileDropZone label="Add files" buttonLabel="Upload files" accept={ACCEPT} onFiles={send}>
        <p className="drop-zone-title">Drop files here to add them</p>
        <p className="drop-zone-hint">
          PDF, Word, HTML, Markdown, text, CSV or a JSON FAQ — several at once.
        </p>
      </FileDropZone>
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
