import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { useAddSource } from './use-add-source';

/** A number field's value for the API: absent when left empty (the server's default applies). */
const optionalInt = (value: string) => (value.trim() === '' ? undefined : Number(value));

/** Adds a website: its pages are crawled within the limits and, when asked, re-crawled on a schedule. */
export function AddWebsiteDialog({
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
    empty: { url: '', maxPages: '', maxDepth: '', refresh: '' },
    onOpenChange,
    onAdded,
    body: (v) => {
      const body: Record<string, unknown> = { type: 'url', url: v.url.trim() };
      const pages = optionalInt(v.maxPages);
      const depth = optionalInt(v.maxDepth);
      const hours = optionalInt(v.refresh);
      if (pages !== undefined) body.maxPages = pages;
      if (depth !== undefined) body.maxDepth = depth;
      if (hours !== undefined) body.refreshIntervalHours = hours;
      return body;
    },
    title: (v) => v.url.trim(),
  });
  return (
    <Dialog
      open={open}
      onOpenChange={form.close}
      title="Add a website"
      description="Pages of the same site are found through its sitemap and links, within robots.txt and your limits."
    >
      <form className="form-stack" noValidate onSubmit={form.submit}>
        <TextField
          label="Website address"
          type="url"
          placeholder="https://help.example.com"
          required
          {...form.field('url')}
        />
        <div className="field-row">
          <TextField
            label="Max pages"
            type="number"
            min={1}
            inputMode="numeric"
            hint="Empty: the server's limit"
            {...form.field('maxPages')}
          />
          <TextField
            label="Max depth"
            type="number"
            min={0}
            inputMode="numeric"
            hint="Links away from the start"
            {...form.field('maxDepth')}
          />
        </div>
        <TextField
          label="Refresh every (hours)"
          type="number"
          min={1}
          inputMode="numeric"
          hint="Empty: crawl once. 24 re-reads the site daily."
          {...form.field('refresh')}
        />
        {form.error && (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => form.close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.busy || !form.values.url.trim()}>
            Add website
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
