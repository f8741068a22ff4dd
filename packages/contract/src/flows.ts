/**
 * Agent flows (GET|PUT /v1/agents/{id}/flow) and what the widget captures with them. A flow is an
 * ordered list of steps the widget runs before the chat; the first step starts it. A step without
 * `next` goes on to the following step, the last one to the chat. Buttons name their next step.
 */
export type FlowFieldKind = 'name' | 'email' | 'phone' | 'text' | 'select' | 'custom';

export type FlowField = {
  /** Unique in its form: a-z, 0-9 and _ (e.g. "email", "order_number"). */
  key: string;
  kind: FlowFieldKind;
  label: string;
  /** Why the business asks: shown to the visitor; consent is asked per purpose. */
  purpose: string;
  required: boolean;
  /** The choices of a `select` field. */
  options?: string[];
};

export type FlowButton = { label: string; next: string };

export type FlowStep =
  | { id: string; type: 'message'; text: string; next?: string }
  | { id: string; type: 'buttons'; text: string; buttons: FlowButton[] }
  | {
      id: string;
      type: 'form';
      title: string;
      fields: FlowField[];
      /** The consent label; `{purpose}` is replaced by each purpose. Defaults to DEFAULT_CONSENT_TEXT. */
      consentText: string;
      next?: string;
    }
  | { id: string; type: 'handoff'; text: string }
  | { id: string; type: 'ai'; text: string };

export type FlowStepType = FlowStep['type'];

export type AgentFlow = { steps: FlowStep[]; version: number; updatedAt: string | null };

export const DEFAULT_CONSENT_TEXT =
  'I agree that what I enter here is stored so that you can {purpose}. I can withdraw this at any time with “Withdraw consent / forget my details” in this chat.';

/** The flow in the widget config: forms carry the exact notice text per purpose (its hash is recorded). */
export type WidgetFlowStep =
  | Exclude<FlowStep, { type: 'form' }>
  | (Extract<FlowStep, { type: 'form' }> & { notices: { purpose: string; text: string }[] });

export type WidgetFlow = { version: number; steps: WidgetFlowStep[] };

/** POST /v1/widget/conversations/{id}/flow/{stepId}: a form submission. */
export type FlowSubmission = {
  values: Record<string, string>;
  /** The purposes the visitor ticked. */
  consents: string[];
  /** navigator.globalPrivacyControl, as the widget read it (the Sec-GPC header counts too). */
  gpc?: boolean;
};
export type FlowSubmissionResult = { granted: string[]; declined: string[]; refused: string[] };

export type ConsentRecordView = {
  id: string;
  stepId: string;
  purpose: string;
  noticeHash: string;
  noticeVersion: number;
  method: 'checkbox' | 'identify' | 'gpc';
  outcome: 'granted' | 'declined' | 'refused';
  recordedAt: string;
  withdrawnAt: string | null;
};

export type CapturedValueView = {
  id: string;
  consentId: string;
  key: string;
  kind: FlowFieldKind;
  label: string;
  purpose: string;
  value: string;
  capturedAt: string;
};

/** GET /v1/conversations/{id}/captured-data. */
export type CapturedData = { consents: ConsentRecordView[]; values: CapturedValueView[] };
