import { Button } from '@leafygreen-ui/button';
import { useState } from 'react';

/** A public URL as a link, with a copy button (and a status line saying whether copying worked). */
export function CopyLink({ url, label, compact }: { url: string; label: string; compact?: boolean }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <span className="forms-link">
      <a
        href={url}
        target="_blank"
        rel="noreferrer"
        className={compact === true ? 'forms-link__url' : undefined}
      >
        {url}
      </a>
      <Button size="xsmall" onClick={copy} aria-label={`Copy ${label}`}>
        Copy
      </Button>
      <span role="status" className="muted">
        {copied === true && 'Copied.'}
        {copied === false && 'Copying was refused: select the link and copy it yourself.'}
      </span>
    </span>
  );
}
