import type { CaptureSession } from '../useCaptureSession.ts';
import { BlobAudio } from './BlobAudio.tsx';

const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/**
 * Record voice: a big Record/Stop button with the elapsed time. After Stop the recording is transcribed into
 * the text (when the server can) or kept as a draft. An attached recording (transcribed, or the opened draft's)
 * can be played back.
 */
export function VoicePanel({ session }: { session: CaptureSession }) {
  const { recorder, recording, draft, transcribing } = session;
  const hasAudio = recording !== null || draft !== null;
  return (
    <div className="voice">
      {recorder.state === 'recording' ? (
        <div className="voice__recording">
          <span className="voice__dot" aria-hidden="true" />
          <span className="voice__time" role="timer" aria-live="off">
            Recording {clock(recorder.elapsedSeconds)} / {clock(recorder.maxSeconds)}
          </span>
          <button type="button" className="button button--danger" onClick={recorder.stop}>
            Stop recording
          </button>
        </div>
      ) : (
        !hasAudio && (
          <button
            type="button"
            className="button button--secondary"
            onClick={recorder.start}
            disabled={recorder.state === 'starting' || transcribing}
          >
            {recorder.state === 'starting'
              ? 'Starting microphone…'
              : transcribing
                ? 'Transcribing…'
                : 'Record voice'}
          </button>
        )
      )}
      {recorder.error !== null && (
        <p className="voice__error" role="alert">
          {recorder.error}
        </p>
      )}
      {draft !== null && <BlobAudio blobId={draft.audioBlobId} label="The draft's recording" />}
      {recording !== null && (
        <div className="voice__attached">
          <BlobAudio blob={recording.blob} label="Your recording" />
          <button type="button" className="button button--quiet" onClick={session.removeRecording}>
            Remove recording
          </button>
        </div>
      )}
    </div>
  );
}
