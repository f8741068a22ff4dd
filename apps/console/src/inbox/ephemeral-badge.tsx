import { Badge } from '../ui/badge';

/**
 * Marks a conversation whose agent stores no transcripts: its text exists only in the server's
 * memory while it is open, and shows as "Not stored" once it ended.
 */
export function EphemeralBadge() {
  return (
    <span title="This agent stores no transcripts: messages are shown only while the conversation is open.">
      <Badge tone="info">Ephemeral — not stored</Badge>
    </span>
  );
}
