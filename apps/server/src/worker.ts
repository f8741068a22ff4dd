import type { BaseLogger } from 'pino';
import { failStaleApprovals } from './modules/actions/approvals.js';
import {
  SIGN_CHECKPOINTS,
  SIGN_CHECKPOINTS_CRON,
  signChangedCheckpoints,
} from './modules/audit/jobs/sign-checkpoints.js';
import { removeExpiredResetFiles } from './modules/auth/password-reset-email.js';
import { handleProcessCall, PROCESS_CALL, processCallQueueOptions } from './modules/calls/index.js';
import { PRUNE_EVENTS, PRUNE_EVENTS_CRON, pruneEvents } from './modules/conversations/jobs/prune-events.js';
import {
  INCIDENT_REMINDERS,
  INCIDENT_REMINDERS_CRON,
  sendIncidentReminders,
} from './modules/incidents/jobs/send-reminders.js';
import {
  handleIngestSource,
  INGEST_SOURCE,
  ingestQueueOptions,
  type PipelineDeps,
  REFRESH_CRON,
  REFRESH_SOURCES,
  sweepSources,
} from './modules/knowledge/index.js';
import {
  DELIVER_NOTIFICATION,
  deliverQueueOptions,
  handleDeliverNotification,
} from './modules/notifications/jobs/deliver-notification.js';
import {
  SWEEP_NOTIFICATIONS,
  SWEEP_NOTIFICATIONS_CRON,
  startNotificationDispatcher,
  sweepNotifications,
} from './modules/notifications/jobs/dispatch.js';
import { createMailer } from './modules/notifications/mailer.js';
import {
  HARD_DELETE,
  HARD_DELETE_CRON,
  sweepHardDeletes,
} from './modules/orgs/deletion/hard-delete-sweep.js';
import { expireExports } from './modules/privacy/requests/export-file.js';
import {
  EXPIRE_EXPORTS,
  EXPIRE_EXPORTS_CRON,
  handlePrivacyRequest,
  PRIVACY_REQUEST,
  type PrivacyJobData,
  privacyQueueOptions,
} from './modules/privacy/requests/run-request-job.js';
import {
  handlePurgeRetention,
  PURGE_RETENTION,
  PURGE_RETENTION_CRON,
  purgeQueueOptions,
} from './modules/privacy/retention/purge-job.js';
import {
  attemptDelivery,
  DELIVER_WEBHOOK,
  type DeliverJobData,
  deliverQueueOptions as deliverWebhookQueueOptions,
} from './modules/webhooks/deliveries.js';
import {
  SWEEP_WEBHOOKS,
  SWEEP_WEBHOOKS_CRON,
  startWebhookDispatcher,
  sweepWebhooks,
} from './modules/webhooks/jobs.js';
import type { BlobStore } from './platform/blobs/blob-store.js';
import type { Keyring } from './platform/crypto/keyring.js';
import { createJobQueue, type JobQueue } from './platform/jobs/queue.js';
import type { OutboundPolicy } from './platform/net/outbound-policy.js';

/**
 * The in-process job worker (DESIGN.md §3: one process runs HTTP and jobs by default): creates
 * the queues, recovers jobs a killed process left running, handles every job type, and keeps
 * the periodic jobs scheduled.
 */
export type JobWorkerDeps = PipelineDeps & {
  jobs: JobQueue;
  /** The full store: the hard-delete job removes an erased org's files; privacy exports are written here. */
  blobStore: BlobStore;
  /** Decrypts the secrets jobs use (Slack webhook URLs). */
  keyring: Keyring;
  /** The address policy for tenant URLs the jobs call (Slack webhooks). */
  net: OutboundPolicy;
};

export type JobWorker = { jobs: JobQueue; stop(): Promise<void> };

/** Creates the queue's tables and the job queues, without handling jobs (enough to enqueue). */
export async function prepareJobQueues(jobs: JobQueue): Promise<void> {
  await jobs.start();
  await jobs.createQueue(INGEST_SOURCE, { ...ingestQueueOptions });
  await jobs.createQueue(REFRESH_SOURCES, { policy: 'singleton', retryLimit: 0, expireInSeconds: 300 });
  await jobs.createQueue(PRUNE_EVENTS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 600 });
  await jobs.createQueue(DELIVER_NOTIFICATION, { ...deliverQueueOptions });
  await jobs.createQueue(SWEEP_NOTIFICATIONS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 300 });
  await jobs.createQueue(HARD_DELETE, { policy: 'singleton', retryLimit: 0, expireInSeconds: 1800 });
  await jobs.createQueue(PURGE_RETENTION, { ...purgeQueueOptions });
  await jobs.createQueue(PRIVACY_REQUEST, { ...privacyQueueOptions });
  await jobs.createQueue(EXPIRE_EXPORTS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 600 });
  await jobs.createQueue(SIGN_CHECKPOINTS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 600 });
  await jobs.createQueue(INCIDENT_REMINDERS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 300 });
  await jobs.createQueue(FAIL_STALE_APPROVALS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 300 });
  await jobs.createQueue(DELIVER_WEBHOOK, { ...deliverWebhookQueueOptions });
  await jobs.createQueue(SWEEP_WEBHOOKS, { policy: 'singleton', retryLimit: 0, expireInSeconds: 600 });
  await jobs.createQueue(PROCESS_CALL, { ...processCallQueueOptions });
}

/** Approvals whose process died after claiming them are failed (modules/actions/approvals.ts). */
const FAIL_STALE_APPROVALS = 'actions.fail-stale-approvals';
const FAIL_STALE_APPROVALS_CRON = '*/5 * * * *';

export type JobWorkerOptions = {
  /** Keep the periodic jobs scheduled (default). Tests turn it off to run the sweep themselves. */
  schedule?: boolean;
  pollingIntervalSeconds?: number;
  /**
   * Handle jobs here (default). False for an API-only process (--role api): the queues exist so
   * routes can enqueue, and a worker process on the same database runs the jobs.
   */
  handle?: boolean;
};

export async function startJobWorker(
  deps: JobWorkerDeps,
  options: JobWorkerOptions = {},
): Promise<JobWorker> {
  const { jobs } = deps;
  await prepareJobQueues(jobs);
  if (jobs.kind === 'pglite') await recoverOrphanedJobs(jobs, deps.log);
  await jobs.work(INGEST_SOURCE, (data, context) => handleIngestSource(deps, data, context));
  await jobs.work(PROCESS_CALL, (data, context) => handleProcessCall(deps, data, context));
  await jobs.work(REFRESH_SOURCES, async () => {
    const result = await sweepSources(deps);
    if (result.refreshed + result.repaired > 0)
      deps.log?.info(result, 'knowledge sources queued by the sweep');
  });
  await jobs.work(PRUNE_EVENTS, async () => {
    const deleted = await pruneEvents(deps.database);
    if (deleted > 0) deps.log?.info({ deleted }, 'delivered events pruned');
  });

  const mailer = createMailer(deps.config.email);
  const delivery = { ...deps, mailer };
  await jobs.work(DELIVER_NOTIFICATION, (data, context) =>
    handleDeliverNotification(delivery, data, context),
  );
  await jobs.work(SWEEP_NOTIFICATIONS, async () => {
    await sweepNotifications(deps);
    // Dev-outbox password reset files of expired links (also removed when used or after an hour).
    await removeExpiredResetFiles(deps.config);
  });
  await jobs.work(HARD_DELETE, async () => {
    await sweepHardDeletes({ ...deps, keyring: deps.keyring, blobStore: deps.blobStore });
  });
  await jobs.work(PURGE_RETENTION, (data, context) => handlePurgeRetention(deps, data, context));
  // Export files are written to the blob store (encrypted), like uploads.
  const privacy = {
    database: deps.database,
    keyring: deps.keyring,
    blobStore: deps.blobStore,
    log: deps.log,
  };
  await jobs.work<PrivacyJobData>(PRIVACY_REQUEST, (data, context) =>
    handlePrivacyRequest(privacy, data, context),
  );
  await jobs.work(EXPIRE_EXPORTS, async () => {
    const expired = await expireExports(privacy);
    if (expired > 0) deps.log?.info({ expired }, 'expired privacy exports deleted');
  });
  await jobs.work(SIGN_CHECKPOINTS, async () => {
    const signed = await signChangedCheckpoints(deps);
    if (signed > 0) deps.log?.info({ signed }, 'audit checkpoints signed');
  });
  await jobs.work(INCIDENT_REMINDERS, async () => {
    const sent = await sendIncidentReminders(deps);
    if (sent > 0) deps.log?.info({ sent }, 'incident deadline reminders sent');
  });
  await jobs.work(FAIL_STALE_APPROVALS, async () => {
    const failed = await failStaleApprovals(deps);
    if (failed > 0) deps.log?.info({ failed }, 'interrupted action approvals marked failed');
  });
  await jobs.work<DeliverJobData>(DELIVER_WEBHOOK, async (data) => {
    await attemptDelivery(deps, data.orgId, data.deliveryId);
  });
  await jobs.work(SWEEP_WEBHOOKS, async () => {
    await sweepWebhooks(deps);
  });
  if (options.schedule ?? true) {
    await jobs.schedule(FAIL_STALE_APPROVALS, FAIL_STALE_APPROVALS_CRON);
    await jobs.schedule(HARD_DELETE, HARD_DELETE_CRON);
    await jobs.schedule(EXPIRE_EXPORTS, EXPIRE_EXPORTS_CRON);
    await jobs.schedule(REFRESH_SOURCES, REFRESH_CRON);
    await jobs.schedule(PRUNE_EVENTS, PRUNE_EVENTS_CRON);
    await jobs.schedule(SWEEP_NOTIFICATIONS, SWEEP_NOTIFICATIONS_CRON);
    await jobs.schedule(PURGE_RETENTION, PURGE_RETENTION_CRON);
    await jobs.schedule(SIGN_CHECKPOINTS, SIGN_CHECKPOINTS_CRON);
    await jobs.schedule(INCIDENT_REMINDERS, INCIDENT_REMINDERS_CRON);
    await jobs.schedule(SWEEP_WEBHOOKS, SWEEP_WEBHOOKS_CRON);
  }
  const stopDispatcher = await startNotificationDispatcher(deps);
  const stopWebhookDispatcher = await startWebhookDispatcher(deps);
  // Rows queued while no process was running (or whose wake was lost) get their jobs now.
  await sweepNotifications(deps);
  return {
    jobs,
    stop: async () => {
      await stopDispatcher();
      await stopWebhookDispatcher();
      await jobs.stop();
      if (mailer.kind === 'smtp') mailer.close();
    },
  };
}

/**
 * Embedded mode: this process is the only one that can open the database (data-dir lock), so a
 * job still `active` at start was running in a process that died (kill -9, power loss). It is
 * failed now and retried at once, instead of after its heartbeat times out. (On
 * PostgreSQL other workers may be alive; there the supervisor retries a job whose heartbeat
 * stopped.)
 */
async function recoverOrphanedJobs(jobs: JobQueue, log?: BaseLogger) {
  for (const name of [
    INGEST_SOURCE,
    REFRESH_SOURCES,
    PRUNE_EVENTS,
    DELIVER_NOTIFICATION,
    SWEEP_NOTIFICATIONS,
    HARD_DELETE,
    PURGE_RETENTION,
    PRIVACY_REQUEST,
    SIGN_CHECKPOINTS,
    DELIVER_WEBHOOK,
    PROCESS_CALL,
  ]) {
    const orphans = await jobs.activeJobIds(name);
    if (orphans.length === 0) continue;
    await jobs.retryNow(name, orphans, 'the process running this job stopped');
    log?.warn({ queue: name, jobs: orphans.length }, 'retrying jobs interrupted by a restart');
  }
}

/** A queue and a started worker for `deps` (main.ts, the test app). */
export async function createJobWorker(
  deps: PipelineDeps & { keyring: Keyring; net: OutboundPolicy; blobStore: BlobStore },
  options: JobWorkerOptions = {},
): Promise<JobWorker> {
  const jobs = createJobQueue(deps.database, {
    ...(deps.log ? { log: deps.log } : {}),
    ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
  });
  if (options.handle === false) {
    await prepareJobQueues(jobs);
    return { jobs, stop: () => jobs.stop() };
  }
  return startJobWorker({ ...deps, jobs }, options);
}
