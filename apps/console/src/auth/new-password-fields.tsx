import { TextField } from '../ui/text-field';

/** The server's rules (modules/auth/better-auth.ts): checked here first so the person sees why. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** What is wrong with a new password and its confirmation, or null. */
export function newPasswordProblem(password: string, confirm: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (password !== confirm) return 'The two passwords differ.';
  return null;
}

/** A new password and its confirmation (password managers see a new-password pair). */
export function NewPasswordFields({
  label,
  password,
  confirm,
  onPassword,
  onConfirm,
  showErrors,
}: {
  label: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  /** After a first submit: errors appear next to the field they are about. */
  showErrors: boolean;
}) {
  const tooShort = password.length < MIN_PASSWORD_LENGTH;
  return (
    <>
      <TextField
        label={label}
        type="password"
        name="new-password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        maxLength={MAX_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A long passphrase is best.`}
        error={showErrors && tooShort ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
        value={password}
        onChange={(e) => onPassword(e.target.value)}
      />
      <TextField
        label="Confirm password"
        type="password"
        name="confirm-password"
        autoComplete="new-password"
        required
        error={showErrors && !tooShort && password !== confirm ? 'The two passwords differ.' : undefined}
        value={confirm}
        onChange={(e) => onConfirm(e.target.value)}
      />
    </>
  );
}

/**
 * After a submit that the form's own checks refused: moves focus to the first field marked
 * invalid, whose error (tied by aria-describedby) is then read out — rather than repeating the
 * field's error in a second message.
 */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  requestAnimationFrame(() => form?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus());
}
