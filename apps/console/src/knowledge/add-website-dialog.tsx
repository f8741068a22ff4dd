import { useState } from 'react';
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
  const [url, setUrl] = useState('');
  const [maxPages, setMaxPages] = useState('');
  const [maxDepth, setMaxDepth] = useState('');
  const [refresh, setRefresh] = useState('');
  const close = (next: boolean) => {
    if (!next) {
      setUrl('');
      setMaxPages('');
      setMaxDepth('');
      setRefresh('');
      form.reset();
    }
    onOpenChange(next);
  };
  const form = useAddSource(orgId, () => {
    onAdded(url.trim());
    close(false);
  });
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Add a website"
      description="Pages of the same site are found through its sitemap and links, within robots.txt and your limits."
    >
      <form
        className="form-stack"
        noValidate
        onSubmit={form.submit(() => {
          const body: Record<string, unknown> = { type: 'url', url: url.trim() };
          const pages = optionalInt(maxPages);
          const depth = optionalInt(maxDepth);
          const hours = optionalInt(refresh);
          if (pages !== undefined) body.maxPages = pages;
          if (depth !== undefined) body.maxDepth = depth;
          if (hours !== undefined) body.refreshIntervalHours = hours;
          return body;
        })}
      >
        <TextField
          label="Website address"
          type="url"
          placeholder="https://help.example.com"
          required
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <div className="field-row">
          <TextField
            label="Max pages"
            type="number"
            min={1}
            inputMode="numeric"
            hint="Empty: the server's limit"
            value={maxPages}
            onChange={(e) => setMaxPages(e.target.value)}
          />
          <TextField
            label="Max depth"
            type="number"
            min={0}
            inputMode="numeric"
            hint="Links away from the start"
            value={maxDepth}
            onChange={(e) => setMaxDepth(e.target.value)}
          />
        </div>
        <TextField
          label="Refresh every (hours)"
          type="number"
          min={1}
          inputMode="numeric"
          hint="Empty: crawl once. 24 re-reads the site daily."
          value={refresh}
          onChange={(e) => setRefresh(e.target.value)}
        />
        {form.error && (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={form.busy || !url.trim()}>
            Add website
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
