import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { TextareaField } from '../ui/textarea-field';
import { useAddSource } from './use-add-source';

/** The server's limits for a manual entry (modules/knowledge/upload.ts). */
const QUESTION_MAX = 300;
const ANSWER_MAX = 4000;

/** Adds a manual Q&A entry, indexed as one passage titled by its question. */
export function AddQaDialog({
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
    empty: { question: '', answer: '' },
    onOpenChange,
    onAdded,
    body: (v) => ({ type: 'qa', question: v.question.trim(), answer: v.answer.trim() }),
    title: (v) => v.question.trim(),
  });
  const { question, answer } = form.values;
  return (
    <Dialog
      open={open}
      onOpenChange={form.close}
      title="Add a Q&A entry"
      description="A question visitors ask and the answer the assistant should give."
    >
      <form className="form-stack" noValidate onSubmit={form.submit}>
        <TextField
          label="Question"
          required
          maxLength={QUESTION_MAX}
          placeholder="Do you ship to Canada?"
          {...form.field('question')}
        />
        <TextareaField label="Answer" required rows={5} maxLength={ANSWER_MAX} {...form.field('answer')} />
        {form.error && (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => form.close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.busy || !question.trim() || !answer.trim()}>
            Add entry
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
