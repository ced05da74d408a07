import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { useRef, useState } from 'react';
import type { ApiTokenIssued } from '../../../../contract/api/tokens.ts';
import { dateTime } from '../../../ui/format.ts';

/** The token itself, shown this once: copy it now. "Done" forgets it in this page too. */
export function IssuedToken({ issued, onDone }: { issued: ApiTokenIssued; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLInputElement>(null);

  const copy = () => {
    field.current?.select();
    navigator.clipboard.writeText(issued.token).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <Banner variant="warning" data-testid="issued-token">
      <div className="issued">
        <strong>
          Your token “{issued.name}”
          {issued.expiresAt === null ? '' : `, valid until ${dateTime(issued.expiresAt)}`}. Copy it now — you
          won't see it again.
        </strong>
        <div className="issued__row">
          <input
            ref={field}
            className="issued__token"
            readOnly
            value={issued.token}
            aria-label="API token"
            onFocus={(focus) => focus.currentTarget.select()}
          />
          <Button size="small" variant="primary" onClick={copy}>
            Copy
          </Button>
          <Button size="small" onClick={onDone}>
            Done
          </Button>
        </div>
        <span role="status">
          {copied === true && 'Copied to the clipboard.'}
          {copied === false && 'Copying was refused: select the token and copy it yourself.'}
        </span>
        <span className="muted">
          Only its hash is stored. If you lose it, revoke it and create a new one.
        </span>
      </div>
    </Banner>
  );
}
