import { useCallback, useEffect, useRef, useState } from 'react';
import { LIMITS } from '../../contract/limits.ts';
import { newId } from '../ui/format.ts';
import { downscaleImage, ImageDecodeError } from './lib/image.ts';

/** A few photos per capture (one slot stays free for a recording): enough for a whiteboard and a screen. */
export const MAX_PHOTOS = Math.min(4, LIMITS.attachmentsPerInsight - 1);

export interface StoredPhoto {
  id: string;
  blob: Blob;
}

export interface Photo extends StoredPhoto {
  /** blob: URL for the thumbnail (revoked when the photo leaves the form). */
  url: string;
}

export interface Photos {
  photos: Photo[];
  busy: boolean;
  error: string | null;
  add: (files: FileList | File[]) => Promise<void>;
  remove: (id: string) => void;
  /** Replace all (restoring a kept form, or [] after a save). */
  replace: (stored: StoredPhoto[]) => void;
}

const withUrl = (photo: StoredPhoto): Photo => ({ ...photo, url: URL.createObjectURL(photo.blob) });

/** Photos picked for the capture in progress, made small on the device before they are kept. */
export function usePhotos(): Photos {
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = useRef<Photo[]>([]);
  live.current = photos;

  useEffect(
    () => () => {
      for (const photo of live.current) URL.revokeObjectURL(photo.url);
    },
    [],
  );

  const add = useCallback(async (files: FileList | File[]) => {
    const picked = Array.from(files);
    if (picked.length === 0) return;
    setBusy(true);
    setError(null);
    const problems: string[] = [];
    try {
      for (const file of picked) {
        if (live.current.length >= MAX_PHOTOS) {
          problems.push(`At most ${MAX_PHOTOS} photos per insight.`);
          break;
        }
        try {
          const blob = await downscaleImage(file, LIMITS.photoBytes);
          const photo = withUrl({ id: newId(), blob });
          live.current = [...live.current, photo];
          setPhotos(live.current);
        } catch (cause) {
          problems.push(
            cause instanceof ImageDecodeError
              ? cause.message
              : "This picture couldn't be added. Try another one.",
          );
        }
      }
    } finally {
      setBusy(false);
      setError(problems.length > 0 ? [...new Set(problems)].join(' ') : null);
    }
  }, []);

  const remove = useCallback((id: string) => {
    const photo = live.current.find((candidate) => candidate.id === id);
    if (photo !== undefined) URL.revokeObjectURL(photo.url);
    live.current = live.current.filter((candidate) => candidate.id !== id);
    setPhotos(live.current);
  }, []);

  const replace = useCallback((stored: StoredPhoto[]) => {
    for (const photo of live.current) URL.revokeObjectURL(photo.url);
    live.current = stored.slice(0, MAX_PHOTOS).map(withUrl);
    setPhotos(live.current);
    setError(null);
  }, []);

  return { photos, busy, error, add, remove, replace };
}
