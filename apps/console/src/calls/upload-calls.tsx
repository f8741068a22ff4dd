import type { CallSummary, Rubric } from '@confidant/contract';
import { X } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { FileDropZone } from '../ui/file-drop-zone';
import { TextField } from '../ui/text-field';
import { uploadCall } from './calls-api';
import { formatBytes } from './describe-call';

type UploadItem = {
  id: number;
  name: string;
  size: number;
  fraction: number;
  state: 'uploading' | 'failed';
  error?: string;
};

/** A hint for the file picker only: the server sniffs the format from the bytes. */
const ACCEPT = '.mp3,.wav,.m4a,.ogg,.oga,.opus,.webm,audio/*';

/**
 * Recordings to add: the rep, a title and the rubric apply to every file of this batch (a title
 * only when there is one file; otherwise each call is named after its file). Drop several files
 * on the zone or choose them with the button (keyboard and screen readers use the button). Each
 * file is its own request with its own progress bar; a refused file says why (the server's
 * problem detail, e.g. too large or not audio) without stopping the rest. An accepted file leaves
 * this list: it appears in the calls table, where its processing progress shows.
 */
export function UploadCalls({
  orgId,
  rubrics,
  onUploaded,
}: {
  orgId: string;
  rubrics: Rubric[];
  onUploaded: (call: CallSummary) => void;
}) {
  const nextId = useRef(1);
  const rubricId = useId();
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [repName, setRepName] = useState('');
  const [title, setTitle] = useState('');
  const [rubric, setRubric] = useState('');

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
      size: file.size,
      fraction: 0,
      state: 'uploading' as const,
    }));
    setUploads((all) => [...all, ...started]);
    files.forEach((file, i) => {
      const { id } = started[i]!;
      const fields = {
        repName: repName.trim(),
        rubricId: rubric,
        title: files.length === 1 && title.trim() ? title.trim() : file.name.replace(/\.[^.]+$/, ''),
      };
      uploadCall(orgId, file, fields, (fraction) => update(id, { fraction })).then(
        (call) => {
          update(id, null);
          onUploaded(call);
        },
        (error: unknown) => update(id, { state: 'failed', error: describeError(error) }),
      );
    });
    setTitle('');
  };

  return (
    <section className="call-upload" aria-labelledby="call-upload-title">
      <h2 id="call-upload-title" className="section-title">
        Add recordings
      </h2>
      <div className="call-upload-fields">
        <TextField
          label="Rep name"
          value={repName}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setRepName(e.target.value)}
        />
        <TextField
          label="Title"
          hint="For a single file; several are named after their files."
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
        <div className="field">
          <label className="field-label" htmlFor={rubricId}>
            Rubric
          </label>
          <select id={rubricId} className="select" value={rubric} onChange={(e) => setRubric(e.target.value)}>
            <option value="">Default rubric</option>
            {rubrics.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FileDropZone
        label="Add recordings"
        buttonLabel="Upload recordings"
        accept={ACCEPT}
        className="call-drop-zone"
        onFiles={send}
      >
        <p className="drop-zone-text">
          <span className="drop-zone-title">Drop recordings here</span>{' '}
          <span className="drop-zone-hint">MP3, WAV, M4A, OGG or WebM — several at once.</span>
        </p>
      </FileDropZone>
      {uploads.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.id} className={u.state === 'failed' ? 'upload-item upload-failed' : 'upload-item'}>
              <span className="upload-name">
                {u.name} <span className="muted">({formatBytes(u.size)})</span>
              </span>
              {u.state === 'uploading' ? (
                <span className="upload-state call-progress">
                  <span
                    role="progressbar"
                    aria-label={`Uploading ${u.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(u.fraction * 100)}
                    className="progress"
                  >
                    <span className="progress-fill" style={{ width: `${Math.round(u.fraction * 100)}%` }} />
                  </span>
                  <span className="call-progress-text" aria-hidden="true">
                    {Math.round(u.fraction * 100)}%
                  </span>
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
    </section>
  );
}
