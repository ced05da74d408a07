import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { useRef, useState } from 'react';
import type { ScimCredentialIssued } from '../../../../contract/api/scim.ts';

/** The SCIM bearer token, shown this once: copy it into the identity provider now. */
export function IssuedScimToken({ issued, onDone }: { issued: ScimCredentialIssued; onDone: () => void }) {
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
    <Banner variant="warning" data-testid="issued-scim-token">
      <div className="issued">
        <strong>
          SCIM token “{issued.name}”. Copy it into your identity provider now — you won't see it again.
        </strong>
        <div className="issued__row">
          <input
            ref={field}
            className="issued__token"
            readOnly
            value={issued.token}
            aria-label="SCIM bearer token"
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
        <span className="muted">Only its hash is stored. If it is lost, revoke it and create another.</span>
      </div>
    </Banner>
  );
}
