import { useState } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { TextareaField } from './textarea-field';
import { useAddSource } from './use-add-source';

const TITLE_MAX = 300;

/** Adds pasted text (read as Markdown, so headings become the passages' headings). */
export function AddTextDialog({
  orgId,
  open,
  onOpenChange,
  onAdded,
}: {
  orgId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAdded: (title: string) => void;
}) {
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const close = (next: boolean) => {
    if (!next) {
      setTitle('');
      setContent('');
      form.reset();
    }
    onOpenChange(next);
  };
  const form = useAddSource(orgId, () => {
    onAdded(title.trim());
    close(false);
  });
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Add text"
      description="Paste an article or notes. Markdown headings are kept."
    >
      <form
        className="form-stack"
        noValidate
        onSubmit={form.submit(() => ({ type: 'text', title: title.trim(), content }))}
      >
        <TextField
          label="Title"
          required
          maxLength={TITLE_MAX}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <TextareaField
          label="Content"
          required
          rows={10}
          value={content}
          onChange={(e) => setContent(e.target.value)}
        />
        {form.error && (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.busy || !title.trim() || !content.trim()}>
            Add text
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
