import { ago, DAY, fail, type GateEvaluator, iso, pass, warn } from './readiness.gates.ts';

export const ATTESTATION_WARN_DAYS = 14;

/** A manual gate takes its status from its attestation: none or expired fails; expiring soon warns. */
export function attested(gateId: string): GateEvaluator {
  return async ({ attestations, now }) => {
    const a = attestations.get(gateId);
    if (!a) return fail('Not attested.', { attested: false });
    const evidence = {
      attested: true,
      attestedStatus: a.status,
      owner: a.owner,
      attestedAt: iso(a.attestedAt),
      expiresAt: iso(a.expiresAt),
      version: a.version,
    };
    const left = a.expiresAt.getTime() - now.getTime();
    if (left <= 0)
      return fail(`The attestation by ${a.owner} expired ${ago(a.expiresAt, now)} ago.`, evidence);
    const note = a.note ? `: ${a.note}` : '.';
    if (a.status === 'fail') return fail(`${a.owner} attests this is not done${note}`, evidence);
    if (a.status === 'warn') return warn(`${a.owner} attests this with known issues${note}`, evidence);
    if (left <= ATTESTATION_WARN_DAYS * DAY)
      return warn(
        `Attested by ${a.owner}, but the attestation expires in ${Math.ceil(left / DAY)} day(s).`,
        evidence,
      );
    return pass(`Attested by ${a.owner} until ${a.expiresAt.toISOString().slice(0, 10)}.`, evidence);
  };
}
