import type { ChatClient } from './chat-client.js';
import { adoptStyles, h, icon } from './dom.js';
import { bearer, createApiRequest, problemError } from './http.js';
import type { PanelView } from './panel-view.js';

/**
 * widget-voice.js — the microphone, loaded by the panel only for agents that take voice.
 *
 * Privacy invariant: nothing here asks the browser for anything (no getUserMedia, AudioContext
 * or permission query) until the visitor presses the microphone.
 *
 * Interaction: push-to-talk (hold the button, or hold Space while it has focus) and
 * tap-to-talk (tap/Enter to start, again to stop): a press longer than HOLD_MS that ends is a
 * push-to-talk release. While recording the button is aria-pressed="true", a polite status says
 * "Listening…" and a level meter (AnalyserNode) moves. The recording (Opus in WebM) goes to the
 * server in CHUNK_MS chunks while the visitor speaks; on stop the server transcribes it, the
 * transcript is sent as the visitor's message through the panel's normal answer path, and each
 * finished sentence of the answer is fetched as speech and played in order while the text
 * streams. Stop, Escape or the microphone interrupts playback.
 *
 * Recordings: when the agent keeps them (`voice.recording`), an unticked checkbox "Keep a
 * recording of my voice messages" sits under the notice. Its state is sent to the server at the
 * first voice turn (granted or declined) and on every change after (unticking withdraws: the
 * server deletes what it kept). The server alone decides whether a turn's audio is kept.
 *
 * Past the business's monthly usage limit the server refuses voice (429): starting a turn stops
 * the microphone at once and ending one says so, with a polite line to type instead (the text
 * input is untouched and gets the focus); an answer is then not spoken (no `speech` events, or a
 * 429 for a sentence: skipped), so nothing waits for audio that will not come.
 */
const HOLD_MS = 400;
const CHUNK_MS = 250;
const MIC_ICON = 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3';
const STOP_ICON = 'M7 7h10v10H7z';

const css = `.mic,.hush{flex:none;width:40px;height:40px;border-radius:50%;border:1px solid #c8ccd2;background:#fff;color:#1f2328;display:grid;place-items:center;cursor:pointer;position:relative}
.mic svg,.hush svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}
.hush svg{fill:currentColor}
.hush[hidden]{display:none}
.mic[aria-pressed=true]{background:var(--cw-accent,#0f766e);color:var(--cw-accent-text,#fff);box-shadow:0 0 0 calc(var(--level,0)*10px) color-mix(in srgb,var(--cw-accent,#0f766e) 35%,transparent)}
.mic:focus-visible,.hush:focus-visible{outline:2px solid var(--cw-accent,#0f766e);outline-offset:2px}
.voice-status{font-size:12px;color:#555;margin:2px 12px;min-height:1em}
.keep{display:flex;gap:6px;align-items:flex-start;font-size:12px;color:#333;margin:2px 12px}
.keep input{margin:2px 0 0}
.meter{position:absolute;left:8px;right:8px;bottom:4px;height:3px;border-radius:2px;background:currentColor;transform-origin:left;transform:scaleX(var(--level,0))}`;

export type VoiceOptions = {
  shadow: ShadowRoot;
  view: PanelView;
  client: ChatClient;
  apiBase: string;
  voice: { recording: boolean; notice: string; consentText?: string };
  /** Sends the transcript as the visitor's message (panel.send) with the voice turn. */
  ask(text: string, turnId: string, onSpeech: (index: number) => void): Promise<void>;
  busy(): boolean;
};

type Recording = {
  stream: MediaStream;
  source: MediaStreamAudioSourceNode;
  recorder: MediaRecorder;
  turn: Promise<string>;
  uploads: Promise<unknown>;
  stopped: Promise<void>;
  frame: number;
};

export function mountVoice(o: VoiceOptions) {
  adoptStyles(o.shadow, css);
  const request = createApiRequest(o.apiBase);
  const meter = h('span', { class: 'meter', 'aria-hidden': 'true' });
  const mic = h(
    'button',
    {
      type: 'button',
      class: 'mic',
      'aria-pressed': 'false',
      'aria-label': 'Talk',
      'aria-describedby': 'cw-voice-help',
      'data-voice': 'idle',
    },
    icon(MIC_ICON),
    meter,
  );
  const hush = h(
    'button',
    { type: 'button', class: 'hush', 'aria-label': 'Stop speaking', hidden: true },
    icon(STOP_ICON),
  );
  const status = h('p', { class: 'voice-status', role: 'status', 'aria-live': 'polite' });
  const help = h(
    'p',
    { id: 'cw-voice-help', class: 'voice-status' },
    `Hold to talk, or tap to start and stop. ${o.voice.notice}`,
  );
  o.view.form.insertBefore(mic, o.view.sendButton);
  o.view.form.insertBefore(hush, o.view.sendButton);
  o.view.form.after(status, help);

  // The recording consent (only when the agent keeps recordings): unticked until the visitor ticks.
  const keepBox = h('input', { type: 'checkbox', id: 'cw-voice-keep', 'data-voice-consent': '' });
  if (o.voice.recording && o.voice.consentText)
    help.after(h('label', { class: 'keep', for: 'cw-voice-keep' }, keepBox, o.voice.consentText));
  /** What the server was last told (null: nothing yet, or the last attempt failed). */
  let consentSent: boolean | null = null;
  let consentSync: Promise<unknown> = Promise.resolve();
  const syncConsent = () => {
    const conversation = o.client.conversation();
    if (!o.voice.recording || !conversation || consentSent === keepBox.checked) return;
    const granted = keepBox.checked;
    consentSent = granted;
    consentSync = consentSync.then(() =>
      request(`v1/widget/conversations/${encodeURIComponent(conversation.id)}/voice-recording-consent`, {
        method: 'POST',
        headers: { ...bearer(conversation.token), 'content-type': 'application/json' },
        body: JSON.stringify({ granted }),
      }).then(
        (res) => {
          if (!res.ok) consentSent = null;
        },
        () => {
          consentSent = null;
        },
      ),
    );
  };
  keepBox.addEventListener('change', syncConsent);
  // "Withdraw consent / forget my details" (flow.ts) withdrew it on the server too.
  o.view.root.addEventListener('cw-consent-withdrawn', () => {
    keepBox.checked = false;
    consentSent = false;
  });

  let recording: Recording | undefined;
  let starting = false;
  let pressedAt = 0;
  /**
   * One AudioContext for the meter and for playback, created on the visitor's first press (a user
   * gesture, so it may play). Playback decodes each sentence and plays it through Web Audio rather
   * than an <audio> element: a blob: media URL is blocked by many sites' Content-Security-Policy.
   */
  let context: AudioContext | undefined;
  let player: AudioBufferSourceNode | undefined;
  let playback: AbortController | undefined;

  const setState = (state: 'idle' | 'listening' | 'transcribing' | 'speaking', said?: string) => {
    mic.dataset.voice = state;
    mic.setAttribute('aria-pressed', String(state === 'listening'));
    mic.setAttribute('aria-label', state === 'listening' ? 'Stop and send' : 'Talk');
    hush.hidden = state !== 'speaking';
    if (said !== undefined) status.textContent = said;
  };

  const conversationPath = (suffix: string) =>
    `v1/widget/conversations/${encodeURIComponent(o.client.conversation()!.id)}/voice-turns${suffix}`;
  const post = async (suffix: string, body?: BodyInit, type = 'application/json') => {
    const res = await request(conversationPath(suffix), {
      method: 'POST',
      headers: { ...bearer(o.client.conversation()!.token), ...(body ? { 'content-type': type } : {}) },
      ...(body ? { body } : {}),
    });
    if (!res.ok) {
      const code = await res
        .clone()
        .json()
        .then(
          (problem: { code?: unknown }) => problem?.code,
          () => undefined,
        );
      throw Object.assign(await problemError(res), { status: res.status, code });
    }
    return res;
  };

  async function start() {
    if (recording || starting || o.busy()) return;
    starting = true;
    try {
      // The first request of the browser for the microphone: only now, on the visitor's press.
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true } });
      const mimeType = MediaRecorder.isTypeSupported('audio/webm;codecs=opus')
        ? 'audio/webm;codecs=opus'
        : 'audio/ogg;codecs=opus';
      await o.client.start();
      syncConsent();
      const turn = post('', JSON.stringify({ mimeType }))
        .then((res) => res.json())
        .then((body: { turnId: string }) => body.turnId);
      turn.catch(() => {});
      context ??= new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      const source = context.createMediaStreamSource(stream);
      source.connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      const recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: 24_000 });
      const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve()));
      const current: Recording = { stream, source, recorder, turn, uploads: turn, stopped, frame: 0 };
      recorder.ondataavailable = (event) => {
        if (event.data.size === 0) return;
        // In order, one at a time: the server appends chunks as they arrive.
        current.uploads = current.uploads.then(async () =>
          post(`/${await turn}/chunks`, event.data, 'application/octet-stream'),
        );
        // Awaited by finish(); a refused turn is handled where it is refused (above).
        current.uploads.catch(() => {});
      };
      recording = current;
      // Refused at the start (past the monthly limit, voice turned off, the server busy): stop
      // listening now rather than let the visitor talk into a turn that cannot be sent.
      turn.catch((error) => {
        if (recording !== current) return;
        cancelRecording('');
        o.view.addError(voiceStartError(error), undefined);
        if (isQuotaRefusal(error)) o.view.input.focus();
      });
      const draw = () => {
        if (!recording) return;
        analyser.getByteTimeDomainData(samples);
        let sum = 0;
        for (const s of samples) sum += ((s - 128) / 128) ** 2;
        mic.style.setProperty('--level', Math.min(1, Math.sqrt(sum / samples.length) * 4).toFixed(2));
        recording.frame = requestAnimationFrame(draw);
      };
      draw();
      recorder.start(CHUNK_MS);
      setState('listening', 'Listening…');
    } catch (error) {
      setState('idle', '');
      o.view.addError(microphoneError(error), undefined);
    } finally {
      starting = false;
    }
  }

  /** Stops recording, uploads the rest, gets the transcript and asks it. */
  async function finish() {
    const current = recording;
    if (!current) return;
    recording = undefined;
    cancelAnimationFrame(current.frame);
    mic.style.setProperty('--level', '0');
    current.recorder.stop();
    await current.stopped;
    for (const track of current.stream.getTracks()) track.stop();
    current.source.disconnect();
    setState('transcribing', 'Transcribing…');
    try {
      const turnId = await current.turn;
      // The last chunk came before the stop event; every upload is chained on `uploads`.
      await current.uploads;
      // The server reads the consent when the turn ends: the visitor's answer must be there first.
      await consentSync;
      const res = await post(`/${turnId}/end`);
      const { text } = (await res.json()) as { text: string };
      setState('idle', '');
      await o.ask(text, turnId, (index) => speak(turnId, index));
    } catch (error) {
      setState('idle', '');
      o.view.addError(transcriptionError(error), undefined);
      if (isQuotaRefusal(error)) o.view.input.focus();
    }
  }

  // Playback: each sentence is fetched as soon as it is announced, played in announcement order.
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  let played = 0;
  /** A sentence of this answer was refused (429: past the monthly limit): said once it ends. */
  let unspoken = false;
  function speak(turnId: string, index: number) {
    playback ??= new AbortController();
    const signal = playback.signal;
    pending++;
    const audio = request(conversationPath(`/${turnId}/speech/${index}`), {
      method: 'GET',
      headers: bearer(o.client.conversation()!.token),
      signal,
    }).then((res) => {
      if (res.status === 429) unspoken = true;
      return res.ok ? res.arrayBuffer() : null;
    });
    audio.catch(() => {});
    queue = queue.then(async () => {
      const bytes = await audio.catch(() => null);
      if (bytes && context && !signal.aborted) {
        if (mic.dataset.voice !== 'speaking') setState('speaking', 'Speaking…');
        await play(context, bytes, signal).catch(() => {});
      }
      // Idle only once every announced sentence has been played (or skipped).
      if (--pending === 0 && !signal.aborted) {
        playback = undefined;
        setState('idle', unspoken ? 'Spoken answers are not available right now.' : '');
        unspoken = false;
      }
    });
  }

  async function play(output: AudioContext, bytes: ArrayBuffer, signal: AbortSignal) {
    const buffer = await output.decodeAudioData(bytes);
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      player = output.createBufferSource();
      player.buffer = buffer;
      player.connect(output.destination);
      player.onended = () => resolve();
      signal.addEventListener('abort', () => resolve());
      player.start();
      // How many sentences actually started playing: visible state for people and tests alike.
      mic.dataset.played = String(++played);
    });
  }

  function interrupt() {
    playback?.abort();
    playback = undefined;
    try {
      player?.stop();
    } catch {
      // not started yet: the aborted signal keeps it from starting
    }
    player = undefined;
    queue = Promise.resolve();
    pending = 0;
    setState('idle', 'Stopped.');
  }

  const speaking = () => mic.dataset.voice === 'speaking' || playback !== undefined;
  function press() {
    if (speaking()) {
      interrupt();
      return;
    }
    if (recording) {
      void finish();
      return;
    }
    pressedAt = Date.now();
    void start();
  }
  function release() {
    // A long press that ends is push-to-talk: stop and send. A short one was a tap: keep going.
    if (pressedAt && Date.now() - pressedAt > HOLD_MS && (recording || starting)) {
      const wait = () => (starting ? setTimeout(wait, 20) : void finish());
      wait();
    }
    pressedAt = 0;
  }

  mic.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    mic.setPointerCapture?.(event.pointerId);
    press();
  });
  mic.addEventListener('pointerup', release);
  mic.addEventListener('pointercancel', release);
  mic.addEventListener('keydown', (event) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (!event.repeat) press();
      if (event.key === 'Enter') pressedAt = 0;
    }
  });
  mic.addEventListener('keyup', (event) => {
    if (event.key === ' ') {
      event.preventDefault();
      release();
    }
  });
  // Assistive technology activates with a plain click (no pointer, no key): a tap.
  mic.addEventListener('click', (event) => {
    if (event.detail === 0 && !(event as PointerEvent).pointerType) press();
    pressedAt = 0;
  });
  hush.addEventListener('click', () => {
    interrupt();
    mic.focus();
  });
  // Escape stops playback or recording first; only then does it close the panel.
  o.view.root.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (speaking()) {
      event.stopPropagation();
      interrupt();
    } else if (recording) {
      event.stopPropagation();
      cancelRecording();
    }
  });

  function cancelRecording(said = 'Cancelled.') {
    const current = recording;
    if (!current) return;
    recording = undefined;
    cancelAnimationFrame(current.frame);
    current.recorder.ondataavailable = null;
    current.recorder.stop();
    for (const track of current.stream.getTracks()) track.stop();
    current.source.disconnect();
    setState('idle', said);
  }
}

/** The server's 429 quota_exceeded: the business's monthly usage limit is reached. */
const isQuotaRefusal = (error: unknown) => (error as { code?: unknown })?.code === 'quota_exceeded';

/** Past the limit the visitor is told what still works, not why (that is the business's affair). */
const VOICE_UNAVAILABLE = 'Voice is not available right now — please type your question.';

function voiceStartError(error: unknown): string {
  if (isQuotaRefusal(error)) return VOICE_UNAVAILABLE;
  return "The voice message couldn't start. Please try again, or type your question.";
}

function microphoneError(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return "Microphone access was refused. Allow the microphone for this site in your browser's settings, or type your question.";
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No microphone was found. Connect one, or type your question.';
  if (typeof MediaRecorder === 'undefined' || name === 'NotSupportedError')
    return "This browser can't record voice messages here. Please type your question.";
  return "The voice message couldn't start. Please try again, or type your question.";
}

function transcriptionError(error: unknown): string {
  const status = (error as { status?: number })?.status;
  if (status === 422) return "Sorry, we couldn't make out any words. Please try again.";
  if (status === 413) return 'That voice message was too long. Please keep it under a minute.';
  if (isQuotaRefusal(error)) return VOICE_UNAVAILABLE;
  return "Sorry, your voice message couldn't be transcribed. Please try again, or type your question.";
}
