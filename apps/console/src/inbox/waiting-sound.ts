/**
 * A short two-note chime made with WebAudio: nothing to download, nothing to cache. The context
 * is created (or resumed) when the person turns the sound on — a click, which browsers require
 * before audio may play — and reused for every chime after.
 */
let context: AudioContext | undefined;

export function unlockSound(): void {
  try {
    context ??= new AudioContext();
    void context.resume();
  } catch {
    // No WebAudio: the sound stays silent.
  }
}

export function playWaitingChime(): void {
  if (!context) unlockSound();
  if (!context) return;
  const start = context.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.16, 1175],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.32);
  }
}
