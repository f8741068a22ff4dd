export declare const widgetDistDir: string;
export declare const widgetSourceDir: string;
export declare function panelVersionOf(panelCode: string): string;
export declare function bundleWidget(): Promise<{
  launcher: string;
  panel: string;
  panelVersion: string;
  flow: string;
  flowVersion: string;
  voice: string;
  voiceVersion: string;
}>;
