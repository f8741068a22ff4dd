import { Dialog } from '../ui/dialog';

export const shortcutList: { keys: string; action: string }[] = [
  { keys: 'j', action: 'Next conversation' },
  { keys: 'k', action: 'Previous conversation' },
  { keys: 'r', action: 'Reply' },
  { keys: 'n', action: 'Add a private note' },
  { keys: 'e', action: 'Close the conversation' },
  { keys: 's', action: 'Search conversations' },
  { keys: '/', action: 'Canned responses (in the reply box)' },
  { keys: '?', action: 'Show this list' },
];

/** The keyboard shortcuts of the inbox, listed in a dialog. */
export function ShortcutsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts">
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
    </Dialog>
  );
}
