import { useCallback, useEffect, useRef, useState } from 'react';
import { LIMITS } from '../../contract/limits.ts';

/**
 * Voice capture with MediaRecorder: Opus in WebM where the browser offers it (small: about 240 KB a minute at
 * 32 kbit/s), otherwise whatever the browser records by default (Safari: MP4/AAC). Stops on its own at the
 * length and size limits the server accepts.
 */

export interface Recorded {
  blob: Blob;
  contentType: string;
  durationSeconds: number;
  /** ISO time the recording started: when the developer said it. */
  startedAt: string;
}

export type RecorderState = 'idle' | 'starting' | 'recording';

export interface Recorder {
  state: RecorderState;
  elapsedSeconds: number;
  maxSeconds: number;
  /** Why recording is not possible (permission denied, no microphone): typing still works. */
  error: string | null;
  supported: boolean;
  start: () => void;
  stop: () => void;
}

const PREFERRED_TYPE = 'audio/webm;codecs=opus';
const BITS_PER_SECOND = 32_000;

function supported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function' &&
    typeof window.MediaRecorder === 'function'
  );
}

function startError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return "Microphone access is blocked, so recording isn't possible. You can still type — or allow the microphone for this site in your browser settings.";
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No microphone was found on this device. You can still type.';
  if (name === 'NotReadableError') return 'The microphone is in use by another app. Close it and try again.';
  return "Recording couldn't start on this device. You can still type.";
}

interface Session {
  recorder: MediaRecorder;
  stream: MediaStream;
  chunks: Blob[];
  bytes: number;
  startedAt: number;
  startedIso: string;
}

export function useRecorder(onRecorded: (recorded: Recorded) => void, maxSeconds: number): Recorder {
  const [state, setState] = useState<RecorderState>('idle');
  const [elapsedSeconds, setElapsed] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const session = useRef<Session | null>(null);
  const callback = useRef(onRecorded);
  callback.current = onRecorded;
  const limit = Math.max(1, Math.min(maxSeconds, LIMITS.audioSeconds));

  const stop = useCallback(() => {
    const current = session.current;
    if (current !== null && current.recorder.state !== 'inactive') current.recorder.stop();
  }, []);

  const start = useCallback(() => {
    if (session.current !== null) return;
    if (!supported()) {
      setError("This browser can't record audio. You can still type.");
      return;
    }
    setError(null);
    setState('starting');
    navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then((stream) => {
        const options: MediaRecorderOptions = { audioBitsPerSecond: BITS_PER_SECOND };
        if (MediaRecorder.isTypeSupported(PREFERRED_TYPE)) options.mimeType = PREFERRED_TYPE;
        const recorder = new MediaRecorder(stream, options);
        const current: Session = {
          recorder,
          stream,
          chunks: [],
          bytes: 0,
          startedAt: Date.now(),
          startedIso: new Date().toISOString(),
        };
        session.current = current;
        recorder.addEventListener('dataavailable', (event) => {
          if (event.data.size === 0) return;
          current.chunks.push(event.data);
          current.bytes += event.data.size;
          // Never produce a recording the server would refuse: stop just before the size limit.
          if (current.bytes > LIMITS.audioBytes * 0.95) stop();
        });
        recorder.addEventListener('stop', () => {
          for (const track of stream.getTracks()) track.stop();
          session.current = null;
          setState('idle');
          setElapsed(0);
          const contentType = recorder.mimeType || current.chunks[0]?.type || 'audio/webm';
          const blob = new Blob(current.chunks, { type: contentType });
          if (blob.size === 0) {
            setError('Nothing was recorded. Try again.');
            return;
          }
          callback.current({
            blob,
            contentType,
            durationSeconds: Math.round((Date.now() - current.startedAt) / 1000),
            startedAt: current.startedIso,
          });
        });
        recorder.start(1000);
        setState('recording');
      })
      .catch((cause: unknown) => {
        session.current = null;
        setState('idle');
        setError(startError(cause));
      });
  }, [stop]);

  useEffect(() => {
    if (state !== 'recording') return;
    const timer = window.setInterval(() => {
      const current = session.current;
      if (current === null) return;
      const seconds = Math.floor((Date.now() - current.startedAt) / 1000);
      setElapsed(seconds);
      if (seconds >= limit) stop();
    }, 250);
    return () => window.clearInterval(timer);
  }, [state, limit, stop]);

  // Leaving the app mid-recording releases the microphone.
  useEffect(
    () => () => {
      const current = session.current;
      if (current === null) return;
      for (const track of current.stream.getTracks()) track.stop();
    },
    [],
  );

  return { state, elapsedSeconds, maxSeconds: limit, error, supported: supported(), start, stop };
}
