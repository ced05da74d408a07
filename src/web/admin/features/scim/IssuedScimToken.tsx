import type { ScimCredentialIssued } from '../../../../contract/api/scim.ts';
import { SecretOnce } from '../../components/SecretOnce.tsx';

/** The SCIM bearer token, shown this once: copy it into the identity provider now. */
export function IssuedScimToken({ issued, onDone }: { issued: ScimCredentialIssued; onDone: () => void }) {
  return (
    <SecretOnce
      secret={issued.token}
      label="SCIM bearer token"
      testId="issued-scim-token"
      onDone={onDone}
      title={`SCIM token “${issued.name}”. Copy it into your identity provider now — you won't see it again.`}
    />
  );
}
