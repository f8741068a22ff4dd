/**
 * Shapes shared by the launcher and the panel. Wire shapes live in @confidant/contract; the
 * launcher imports this file for types only, so none of it lands in the tiny launcher bundle.
 */

/** What the launcher hands the lazily loaded panel. */
export type PanelOptions = {
  /** The shadow root both bundles render into; styles are adopted there, never in the page. */
  shadow: ShadowRoot;
  /** Base URL of the widget API: the directory the script was served from. */
  apiBase: string;
  agentKey: string;
  /** Focus returns here when the panel closes. */
  launcher: HTMLButtonElement;
  onOpenChange(open: boolean): void;
  /** Applies the agent's saved look (config) to the launcher and the shared theme. */
  setAppearance(appearance: LauncherAppearance): void;
  /** Who the host page said the visitor is (Confidant.identify), if it did before the panel loaded. */
  identity: Identity | undefined;
};

/**
 * What `Confidant.identify({ userId, email?, name? }, { hmac })` hands over: `hmac` is the host
 * site's server-side hex(HMAC-SHA256(identity secret, userId)), so the server can tell the page
 * (not a visitor editing it) named the user. Sent only once a conversation exists.
 */
export type Identity = { userId: string; email?: string; name?: string; hmac: string };

/** The part of the appearance the launcher owns: accent, corner and its label. */
export type LauncherAppearance = {
  accentColor?: string | undefined;
  accentTextColor?: string | undefined;
  position?: string | undefined;
  launcherLabel?: string | null | undefined;
};

export type PanelHandle = {
  open(): void;
  close(): void;
  isOpen(): boolean;
  identify(identity: Identity): void;
};

export type PanelModule = { mountPanel(options: PanelOptions): PanelHandle };
