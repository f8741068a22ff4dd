/** A loading placeholder; decorative, so hidden from assistive technology (the region says it is busy). */
export function Skeleton({ width = '100%', height = '1rem' }: { width?: string; height?: string }) {
  return <span aria-hidden="true" className="skeleton" style={{ width, height }} />;
}
