import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { Button } from '../ui/button';

export const shortcutList: { keys: string; action: string }[] = [
  { keys: 'j', action: 'Next conversation' },
  { keys: 'k', action: 'Previous conversation' },
  { keys: 'r', action: 'Reply' },
  { keys: 'n', action: 'Add a private note' },
  { keys: 'e', action: 'Close the conversation' },
  { keys: '/', action: 'Canned responses (in the reply box)' },
  { keys: '?', action: 'Show this list' },
];

/** The keyboard shortcuts, listed in a dialog (Radix: focus moves in, is trapped, and returns). */
export function ShortcutsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={undefined}>
          <div className="dialog-header">
            <Dialog.Title className="dialog-title">Keyboard shortcuts</Dialog.Title>
            <Dialog.Close asChild>
              <Button variant="ghost" iconOnly aria-label="Close">
                <X />
              </Button>
            </Dialog.Close>
          </div>
          <dl className="shortcut-list">
            {shortcutList.map((s) => (
              <div key={s.keys} className="shortcut-row">
                <dt>
                  <kbd>{s.keys}</kbd>
                </dt>
                <dd>{s.action}</dd>
              </div>
            ))}
          </dl>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
