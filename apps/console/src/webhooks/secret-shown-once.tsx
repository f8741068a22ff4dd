import { Button } from '../ui/button';
import { CopyButton } from '../ui/copy-button';
import { TextField } from '../ui/text-field';

/** A signing secret shown once (only its encryption is stored), with a copy button. */
export function SecretShownOnce({
  secret,
  url,
  onDone,
}: {
  secret: string;
  url?: string;
  onDone: () => void;
}) {
  return (
    <div className="form-stack">
      <p className="notice" role="status">
        Copy the signing secret now: it is shown only once. Keep it secret, like a password.
      </p>
      {url && (
        <>
          <TextField label="URL to paste into the integration" value={url} readOnly className="input mono" />
          <CopyButton text={url} label="Copy URL" />
        </>
      )}
      <TextField
        label="Signing secret"
        value={secret}
        readOnly
        className="input mono"
        onFocus={(e) => e.target.select()}
      />
      <div className="dialog-actions">
        <CopyButton text={secret} label="Copy secret" />
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
