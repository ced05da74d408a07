import { type ChangeEvent, useRef } from 'react';
import { MAX_PHOTOS, type Photos } from '../usePhotos.ts';

/** Add photo (camera or library), made small on the device; thumbnails with Remove. */
export function PhotoPanel({ photos }: { photos: Photos }) {
  const camera = useRef<HTMLInputElement>(null);
  const library = useRef<HTMLInputElement>(null);
  const full = photos.photos.length >= MAX_PHOTOS;
  const onFiles = (change: ChangeEvent<HTMLInputElement>) => {
    const files = change.target.files;
    if (files !== null) void photos.add(files);
    change.target.value = '';
  };
  return (
    <div className="photos">
      {/* Two inputs: `capture` opens the camera straight away on phones, which then offer no library. */}
      <input
        ref={camera}
        className="visually-hidden"
        type="file"
        accept="image/*"
        capture="environment"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onFiles}
      />
      <input
        ref={library}
        className="visually-hidden"
        type="file"
        accept="image/*"
        multiple
        tabIndex={-1}
        aria-hidden="true"
        onChange={onFiles}
      />
      <button
        type="button"
        className="button button--secondary"
        disabled={full || photos.busy}
        onClick={() => camera.current?.click()}
      >
        {photos.busy ? 'Preparing photo…' : full ? `${MAX_PHOTOS} photos added` : 'Add photo'}
      </button>
      {!full && (
        <button
          type="button"
          className="link-button"
          disabled={photos.busy}
          onClick={() => library.current?.click()}
        >
          or choose from library
        </button>
      )}
      {photos.error !== null && (
        <p className="photos__error" role="alert">
          {photos.error}
        </p>
      )}
      {photos.photos.length > 0 && (
        <ul className="photos__list" aria-label="Photos">
          {photos.photos.map((photo, index) => (
            <li key={photo.id} className="photos__item">
              <img
                src={photo.url}
                alt={`Attached ${index + 1} of ${photos.photos.length}`}
                className="photos__thumb"
              />
              <button
                type="button"
                className="photos__remove"
                aria-label={`Remove photo ${index + 1}`}
                onClick={() => photos.remove(photo.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
