import { type FormEvent, useEffect, useRef, useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { newId } from '../../ui/format.ts';
import { type Feedback, isOnline, queueProblem } from '../feedback.ts';
import { type DeviceInfo, deviceInfo, deviceLines, readDeviceEnv } from '../lib/device.ts';
import { downscaleImage, ImageDecodeError } from '../lib/image.ts';
import { queueBug } from '../offline/outbox.ts';
import type { Owner } from '../offline/types.ts';
import { APP_VERSION } from '../offline/version.ts';
import { FormFeedback } from './FormFeedback.tsx';

interface BugReportSheetProps {
  open: boolean;
  onClose: () => void;
  owner: Owner;
  /** The tab it was opened from (sent as the report's screen). */
  screen: string;
  sessionEnded: boolean;
}

/**
 * "Report a problem" from any screen: a description, an optional screenshot and the device details (shown
 * before sending). Queued on the device like a capture, so it works offline too.
 */
export function BugReportSheet({ open, onClose, owner, screen, sessionEnded }: BugReportSheetProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [description, setDescription] = useState('');
  const [screenshot, setScreenshot] = useState<{ blob: Blob; url: string } | null>(null);
  const [device, setDevice] = useState<DeviceInfo>({});
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) {
      setDevice(deviceInfo(readDeviceEnv(APP_VERSION, screen)));
      setFeedback(null);
      element.showModal();
    } else if (!open && element.open) element.close();
  }, [open, screen]);

  useEffect(
    () => () => {
      if (screenshot !== null) URL.revokeObjectURL(screenshot.url);
    },
    [screenshot],
  );

  const pick = async (file: File | undefined) => {
    if (file === undefined) return;
    setBusy(true);
    try {
      const blob = await downscaleImage(file, LIMITS.bugScreenshotBytes);
      setScreenshot({ blob, url: URL.createObjectURL(blob) });
      setFeedback(null);
    } catch (cause) {
      const detail = cause instanceof ImageDecodeError ? cause.message : "This picture couldn't be added.";
      setFeedback({ kind: 'error', detail, fields: [] });
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (description.trim() === '') {
      setFeedback({ kind: 'error', detail: 'Describe what went wrong first.', fields: [] });
      return;
    }
    setBusy(true);
    try {
      const report = {
        id: newId(),
        description: description.trim(),
        screen,
        appVersion: APP_VERSION.slice(0, LIMITS.appVersion),
        device: { ...device, online: isOnline() },
        reportedAt: new Date().toISOString(),
      };
      const problem = queueProblem(await queueBug(report, owner, screenshot?.blob));
      if (problem !== null) {
        setFeedback(problem);
        return;
      }
      setDescription('');
      setScreenshot(null);
      const when = sessionEnded
        ? 'will send after you sign in again'
        : isOnline()
          ? 'sent'
          : "will send when you're online";
      setFeedback({ kind: 'saved', message: `Thanks — ${when}.` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="sheet" aria-labelledby="report-heading" onClose={onClose}>
      <form className="sheet__body" onSubmit={(event) => void onSubmit(event)} noValidate>
        <h2 id="report-heading">Report a problem</h2>
        <label className="field">
          <span className="field__label">What went wrong?</span>
          <textarea
            name="description"
            rows={5}
            maxLength={LIMITS.bugDescription}
            value={description}
            onChange={(change) => setDescription(change.target.value)}
          />
        </label>
        <input
          ref={fileInput}
          className="visually-hidden"
          type="file"
          accept="image/*"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(change) => {
            void pick(change.target.files?.[0]);
            change.target.value = '';
          }}
        />
        {screenshot === null ? (
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => fileInput.current?.click()}
          >
            Add screenshot (optional)
          </button>
        ) : (
          <div className="sheet__shot">
            <img src={screenshot.url} alt="Screenshot to send" />
            <button type="button" className="button button--quiet" onClick={() => setScreenshot(null)}>
              Remove screenshot
            </button>
          </div>
        )}
        <details className="sheet__device">
          <summary>We'll include: app version, browser, screen size, online state, current tab</summary>
          <dl>
            {deviceLines(device).map((line) => (
              <div key={line.label}>
                <dt>{line.label}</dt>
                <dd>{line.value}</dd>
              </div>
            ))}
          </dl>
        </details>
        <FormFeedback feedback={feedback} />
        <div className="sheet__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Send report
          </button>
          <button type="button" className="button button--quiet" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
