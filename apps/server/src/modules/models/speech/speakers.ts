/**
 * Speaker labels as callers see them: 'A', 'B', … in order of first appearance, whatever the
 * provider called them (Deepgram's 0, 1…, ElevenLabs' speaker_0…, OpenAI's A/B or names).
 */
export function createSpeakerLabeler(): (providerLabel: string | number) => string {
  const labels = new Map<string, string>();
  return (providerLabel) => {
    const key = String(providerLabel);
    let label = labels.get(key);
    if (!label) {
      label = speakerLabel(labels.size);
      labels.set(key, label);
    }
    return label;
  };
}

/** 0 → 'A' … 25 → 'Z', 26 → 'AA' … */
function speakerLabel(index: number): string {
  let label = '';
  let n = index;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}
