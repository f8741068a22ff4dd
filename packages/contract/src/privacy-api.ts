/** Data-subject requests (GET|POST /v1/privacy/requests). */
export type PrivacyRequestType = 'export' | 'erasure';
export type PrivacyRequestStatus = 'queued' | 'running' | 'completed' | 'failed';
/** `userId`: the host site's user id given to Confidant.identify. */
export type PrivacySubjectKind = 'email' | 'phone' | 'userId' | 'conversationId';

export type PrivacyRequest = {
  id: string;
  type: PrivacyRequestType;
  /** Never the identifier itself: its kind and a masked hint ("j•••@example.com"). */
  subject: { kind: PrivacySubjectKind; masked: string };
  note: string | null;
  status: PrivacyRequestStatus;
  /** 0–100 while the job runs. */
  progress: number;
  /** Rows exported or erased, per table. */
  counts: Record<string, number>;
  errorCode: string | null;
  createdAt: string;
  /** 30 days after receipt. */
  dueAt: string;
  completedAt: string | null;
  /** A finished export's zip, until it expires. */
  download: { url: string; expiresAt: string } | null;
};

export type NewPrivacyRequest = {
  type: PrivacyRequestType;
  subject: Partial<Record<PrivacySubjectKind, string>>;
  note?: string;
};
