import type { ProcessingRecords } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { ArrowLeftRight, Building2, Download, FileText, ShieldCheck, Timer } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../../api/api-error';
import { SettingsCard } from '../../settings/settings-card';
import '../../settings/settings.css';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Skeleton } from '../../ui/skeleton';
import { downloadRecordsMarkdown, recordsQuery } from './records-api';
import './records.css';

const subjectLabel = { visitor: 'Website visitors', user: 'Console users', none: 'No one' } as const;
const days = (d: number | null) => (d === null ? 'No period' : `${d} days`);
const formatTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Records of processing (GDPR Art. 30), as the server generates them from the data map and the
 * live configuration: sub-processors, transfers, measures in force, retention and one activity
 * per table; a Markdown download for the business's files.
 */
export function RecordsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const records = useQuery(recordsQuery(orgId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadRecordsMarkdown(orgId);
    } catch (failure) {
      setError(`Could not download the records: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="form-stack records-page">
      <SettingsCard
        icon={<FileText aria-hidden="true" />}
        title="Records of processing"
        lead="Generated from your live configuration each time you open this page: what is stored, why, for how long, who receives it and how it is protected. Download it for your records; downloads are noted in the audit log."
      >
        <div className="records-actions">
          <Button variant="primary" onClick={() => void download()} disabled={busy}>
            <Download aria-hidden="true" />
            Download (Markdown)
          </Button>
          {records.data && (
            <span className="muted">
              Generated {formatTime(records.data.generatedAt)} · hosting region{' '}
              {records.data.hostingRegion ?? 'not stated'}
            </span>
          )}
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </SettingsCard>
      {records.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="8rem" />
          <Skeleton height="8rem" />
        </div>
      ) : records.isError ? (
        <p className="form-error" role="alert">
          Could not load the records: {describeError(records.error)}
        </p>
      ) : (
        <RecordsSections records={records.data} />
      )}
    </div>
  );
}

function RecordsSections({ records }: { records: ProcessingRecords }) {
  return (
    <>
      <SettingsCard
        icon={<Building2 aria-hidden="true" />}
        title="Sub-processors and recipients"
        lead="Every service your data is sent to, as configured now. Credentials are never shown."
      >
        {records.subprocessors.length === 0 ? (
          <p className="muted">None: no data leaves this installation.</p>
        ) : (
          <div className="records-scroll">
            <table className="table records-table" aria-label="Sub-processors">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Purpose</th>
                  <th scope="col">Host</th>
                  <th scope="col">Region</th>
                  <th scope="col">Data</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {records.subprocessors.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <strong>{s.name}</strong>
                      <div className="muted records-small">
                        Configured by {s.configuredBy === 'organization' ? 'you' : 'the operator'}
                      </div>
                    </td>
                    <td>{s.purpose}</td>
                    <td className="mono">{s.host ?? 'unknown'}</td>
                    <td>{s.region ?? 'unknown'}</td>
                    <td className="records-small">{s.dataCategories.join(', ')}</td>
                    <td>{s.since ? formatTime(s.since) : 'unknown'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </SettingsCard>

      <SettingsCard
        icon={<ArrowLeftRight aria-hidden="true" />}
        title="Transfers outside the hosting region"
        lead="A recipient's configured region compared with where this installation hosts data; unknown where either is not stated."
      >
        {records.transfers.length === 0 ? (
          <p className="muted">None: no recipient is enabled.</p>
        ) : (
          <ul className="records-list">
            {records.transfers.map((t) => (
              <li key={t.subprocessorId}>
                <Badge
                  tone={
                    t.assessment === 'same_region'
                      ? 'success'
                      : t.assessment === 'outside_region'
                        ? 'warning'
                        : 'neutral'
                  }
                >
                  {t.assessment === 'same_region'
                    ? 'Same region'
                    : t.assessment === 'outside_region'
                      ? 'Outside region'
                      : 'Unknown'}
                </Badge>{' '}
                <strong>{t.name}</strong>: {t.note}
              </li>
            ))}
          </ul>
        )}
      </SettingsCard>

      <SettingsCard
        icon={<ShieldCheck aria-hidden="true" />}
        title="Technical measures"
        lead="Computed from the code, the database and the configuration."
      >
        <ul className="records-list">
          {records.measures.map((m) => (
            <li key={m.id}>
              <Badge tone={m.inForce ? 'success' : 'neutral'}>
                {m.inForce ? 'In force' : 'Not in force'}
              </Badge>{' '}
              <strong>{m.title}</strong>
              <p className="muted records-small">{m.detail}</p>
            </li>
          ))}
        </ul>
      </SettingsCard>

      <SettingsCard
        icon={<Timer aria-hidden="true" />}
        title="Processing activities"
        lead="One entry per table: its purpose, whose data it holds, the kinds of data and how long they are kept (with your periods in force)."
      >
        <div className="records-scroll">
          <table className="table records-table" aria-label="Processing activities">
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col">Purpose</th>
                <th scope="col">Subjects</th>
                <th scope="col">Data</th>
                <th scope="col">Retention</th>
              </tr>
            </thead>
            <tbody>
              {records.activities.map((a) => (
                <tr key={a.table}>
                  <td className="mono">{a.table}</td>
                  <td>{a.purpose}</td>
                  <td>{subjectLabel[a.subjects]}</td>
                  <td className="records-small">{a.dataCategories.join(', ')}</td>
                  <td className="records-small">
                    {a.retention.map((r) => (
                      <div key={r.category}>
                        {r.description}
                        {r.days !== null && <strong> — {days(r.days)}</strong>}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </SettingsCard>
    </>
  );
}
