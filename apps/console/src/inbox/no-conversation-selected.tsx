import { MessagesSquare } from 'lucide-react';
import { EmptyState } from '../ui/empty-state';

export function NoConversationSelected() {
  return (
    <section className="conversation-pane conversation-pane-empty" aria-label="Conversation">
      <EmptyState icon={<MessagesSquare />} title="Pick a conversation">
        <p>
          Choose one from the list, or press <kbd>j</kbd> to open the next. Press <kbd>?</kbd> for every
          shortcut.
        </p>
      </EmptyState>
    </section>
  );
}
