import { useState } from 'react';

/** A new version is installed and waiting: reload when the person chooses (their input is kept first). */
export function UpdateBanner({ onReload }: { onReload: () => Promise<void> }) {
  const [reloading, setReloading] = useState(false);
  return (
    <div className="banner banner--info" role="status">
      <p>A new version is ready.</p>
      <button
        type="button"
        className="button button--quiet"
        disabled={reloading}
        onClick={() => {
          setReloading(true);
          void onReload();
        }}
      >
        {reloading ? 'Reloading…' : 'Reload to update'}
      </button>
    </div>
  );
}
