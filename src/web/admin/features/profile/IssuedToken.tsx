import type { ApiTokenIssued } from '../../../../contract/api/tokens.ts';
import { dateTime } from '../../../ui/format.ts';
import { SecretOnce } from '../../components/SecretOnce.tsx';

/** The API token itself, shown this once: copy it now. */
export function IssuedToken({ issued, onDone }: { issued: ApiTokenIssued; onDone: () => void }) {
  return (
    <SecretOnce
      secret={issued.token}
      label="API token"
      testId="issued-token"
      onDone={onDone}
      title={`Your token “${issued.name}”${issued.expiresAt === null ? '' : `, valid until ${dateTime(issued.expiresAt)}`}. Copy it now — you won't see it again.`}
    />
  );
}
