import { useState } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { TextareaField } from './textarea-field';
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
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const close = (next: boolean) => {
    if (!next) {
      setQuestion('');
      setAnswer('');
      form.reset();
    }
    onOpenChange(next);
  };
  const form = useAddSource(orgId, () => {
    onAdded(question.trim());
    close(false);
  });
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Add a Q&A entry"
      description="A question visitors ask and the answer the assistant should give."
    >
      <form
        className="form-stack"
        noValidate
        onSubmit={form.submit(() => ({ type: 'qa', question: question.trim(), answer: answer.trim() }))}
      >
        <TextField
          label="Question"
          required
          maxLength={QUESTION_MAX}
          placeholder="Do you ship to Canada?"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <TextareaField
          label="Answer"
          required
          rows={5}
          maxLength={ANSWER_MAX}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
        />
        {form.error && (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.busy || !question.trim() || !answer.trim()}>
            Add entry
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
