import type { WidgetFlow } from './flows.js';

/**
 * Where the widget may keep `{ conversationId, token, lastEventId }` in the visitor's browser,
 * always only after the visitor's first message: `none` nowhere, `tab` sessionStorage (a reload
 * in this tab resumes), `device` localStorage, only after the visitor ticks "Remember this chat".
 */
export type Persistence = 'none' | 'tab' | 'device';

/**
 * GET /v1/widget/config. Every sentence the widget shows about storage and handoff comes from
 * here, computed by the server from the agent's real settings (DESIGN.md §2: the widget tells
 * the visitor the truth).
 */
export type WidgetConfig = {
  name: string;
  greeting: string;
  starters: string[];
  persistence: Persistence;
  /** The footnote under the composer: what is stored, where, by whom. */
  storageNotice: string;
  /** False for an ephemeral agent: the server keeps no message text (storageNotice says so). */
  storesTranscripts: boolean;
  handoff: {
    /** False: the assistant never hands off (agent setting). */
    enabled: boolean;
    /** An operator is present now (operator presence). */
    operatorsAvailable: boolean;
    /** Shown after a handoff while someone is available, e.g. "A person from our team will reply here." */
    onlineLine: string;
    /** Shown after a handoff while nobody is available, above the email form. */
    offlineLine: string;
    /** The consent checkbox label for leaving an email (its hash is stored with the consent). */
    contactConsentText: string;
    /** Whether the offline flow offers the email form (false for ephemeral agents: no contact is kept). */
    emailReplies: boolean;
  };
  appearance: WidgetAppearance;
  /** The agent's flow, run before the chat (absent: straight to the chat). */
  flow?: WidgetFlow;
  /**
   * Present when the agent takes voice messages: the widget shows a microphone (and asks the
   * browser for nothing until it is pressed). `notice` says who transcribes the voice and
   * whether recordings are kept; `recording`: the visitor may consent to keeping recordings, with
   * a checkbox labelled `consentText` (unticked; its SHA-256 is what the consent record holds).
   */
  voice?: { recording: boolean; notice: string; consentText?: string };
  /** True when the config request carried Sec-GPC: 1: optional form fields are never shown. */
  gpc?: boolean;
};

/** How the agent's widget looks (set in the console). */
export type WidgetAppearance = {
  /** #rrggbb: launcher, header, send button, the visitor's bubbles. */
  accentColor: string;
  /** White or black, whichever meets WCAG AA on the accent (computed by the server). */
  accentTextColor: string;
  position: WidgetPosition;
  /** Text beside the launcher icon; null = the icon alone. */
  launcherLabel: string | null;
  /** Path on the Confidant server (resolve against the widget's origin), content-hashed; null = none. */
  avatarUrl: string | null;
};

export type WidgetPosition = 'bottom-right' | 'bottom-left';

/** POST /v1/widget/conversations/{id}/contact: an email left with explicit consent. */
export type ContactPurpose = 'reply_by_email';
export type ContactRequest = { email: string; consent: true; purpose: ContactPurpose };
