/** The incident register (GET|POST /v1/incidents, GET|PATCH /v1/incidents/{id}). */
export type IncidentStatus = 'open' | 'contained' | 'notified' | 'closed' | 'not_notifiable';

export type Incident = {
  id: string;
  /** Shared by the copies of one incident the platform registered in several orgs. */
  platformIncidentId: string | null;
  title: string;
  description: string;
  awareAt: string;
  occurredAt: string | null;
  /** Data-map categories, e.g. user.contact.email. */
  dataCategories: string[];
  subjectsAffected: number | null;
  recordsAffected: number | null;
  consequences: string;
  measures: string;
  status: IncidentStatus;
  notNotifiableReason: string | null;
  authorityNotifiedAt: string | null;
  subjectsNotifiedAt: string | null;
  delayReason: string | null;
  contactPoint: string | null;
  /** awareAt + 72 hours. */
  deadlineAt: string;
  notificationPending: boolean;
  overdue: boolean;
  /** Reminder marks sent, in hours after awareness (72: the overdue notice). */
  remindersSent: number[];
  createdAt: string;
  updatedAt: string;
};

/** What a create or an edit sends (an edit sends only what changed; null clears). */
export type IncidentChanges = Partial<
  Pick<
    Incident,
    | 'title'
    | 'description'
    | 'awareAt'
    | 'occurredAt'
    | 'dataCategories'
    | 'subjectsAffected'
    | 'recordsAffected'
    | 'consequences'
    | 'measures'
    | 'status'
    | 'notNotifiableReason'
    | 'authorityNotifiedAt'
    | 'subjectsNotifiedAt'
    | 'delayReason'
    | 'contactPoint'
  >
>;
