import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { type ReactNode, useRef, useState } from 'react';

/**
 * A secret (API token, SCIM credential) shown this once, with a copy button. "Done" forgets it in the page too.
 * Only its hash is stored server-side: whoever loses it revokes it and creates another.
 */
export function SecretOnce({
  secret,
  label,
  title,
  testId,
  onDone,
}: {
  secret: string;
  label: string;
  title: ReactNode;
  testId: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const copy = () => {
    field.current?.select();
    navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <Banner variant="warning" data-testid={testId}>
      <div className="issued">
        <strong>{title}</strong>
        <div className="issued__row">
          <input
            ref={field}
            className="issued__token"
            readOnly
            value={secret}
            aria-label={label}
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
          {copied === false && `Copying was refused: select the ${label.toLowerCase()} and copy it yourself.`}
        </span>
        <span className="muted">Only its hash is stored. If it is lost, revoke it and create another.</span>
      </div>
    </Banner>
  );
}
