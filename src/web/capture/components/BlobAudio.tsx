import { useEffect, useState } from 'react';
import { getBlob } from '../offline/outbox.ts';

/** Plays a recording kept on the device: a Blob in memory, or one stored under an id (a draft's). */
export function BlobAudio({ blob, blobId, label }: { blob?: Blob; blobId?: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    let created: string | null = null;
    const show = (value: Blob | undefined) => {
      if (!active || value === undefined) return;
      created = URL.createObjectURL(value);
      setUrl(created);
    };
    if (blob !== undefined) show(blob);
    else if (blobId !== undefined) void getBlob(blobId).then(show, () => undefined);
    return () => {
      active = false;
      if (created !== null) URL.revokeObjectURL(created);
      setUrl(null);
    };
  }, [blob, blobId]);
  if (url === null) return null;
  // biome-ignore lint/a11y/useMediaCaption: a field recording of a conversation has no captions; its text is the transcript
  return <audio className="audio" controls src={url} aria-label={label} preload="metadata" />;
}
