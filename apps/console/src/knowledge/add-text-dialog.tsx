import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { TextareaField } from '../ui/textarea-field';
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
  const form = useAddSource({
    orgId,
    empty: { title: '', content: '' },
    onOpenChange,
    onAdded,
    body: (v) => ({ type: 'text', title: v.title.trim(), content: v.content }),
    title: (v) => v.title.trim(),
  });
  const { title, content } = form.values;
  return (
    <Dialog
      open={open}
      onOpenChange={form.close}
      title="Add text"
      description="Paste an article or notes. Markdown headings are kept."
    >
      <form className="form-stack" noValidate onSubmit={form.submit}>
        <TextField label="Title" required maxLength={TITLE_MAX} {...form.field('title')} />
        <TextareaField label="Content" required rows={10} {...form.field('content')} />
        {form.error && (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => form.close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.busy || !title.trim() || !content.trim()}>
            Add text
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
