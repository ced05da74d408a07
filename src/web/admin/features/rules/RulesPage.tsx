import { Banner } from '@leafygreen-ui/banner';
import { Card } from '@leafygreen-ui/card';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { RuleSetProposed } from '../../../../contract/api/access.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useMe } from '../../queries.ts';
import { PendingVersion } from './PendingVersion.tsx';
import { useApproveRules, useRejectRules, useRules } from './queries.ts';
import { RulesEditor } from './RulesEditor.tsx';
import { RulesTable } from './RulesTable.tsx';
import { VersionHistory } from './VersionHistory.tsx';
import '../../access.css';

/** Rules (/admin/rules): the entitlement rules in effect, a pending change to approve, history, an editor. */
export function RulesPage() {
  const me = useMe();
  const rules = useRules();
  const approve = useApproveRules();
  const reject = useRejectRules();
  const [done, setDone] = useState<string | null>(null);
  const overview = rules.data;
  const myId = me.data?.person.id ?? '';

  const onApprove = (version: number) => {
    if (
      !window.confirm(
        `Approve and activate rules version ${version}? Access changes for everyone it affects.`,
      )
    )
      return;
    setDone(null);
    approve.mutate(version, { onSuccess: () => setDone(`Version ${version} is now active.`) });
  };
  const onReject = (version: number, note: string) => {
    setDone(null);
    reject.mutate({ version, note }, { onSuccess: () => setDone(`Version ${version} was rejected.`) });
  };
  const onProposed = ({ version }: RuleSetProposed) =>
    setDone(
      version.status === 'active'
        ? `Version ${version.version} is now active.`
        : `Version ${version.version} is proposed: another admin approves it before it takes effect.`,
    );

  return (
    <main className="admin-main">
      <H1>Entitlement rules</H1>
      <Body>
        Rules turn identity-provider groups and org facts into a role and a reporting scope. Every entitlement
        a person has names the rule and the facts that matched.
      </Body>
      {rules.isPending && <Body aria-live="polite">Loading…</Body>}
      {rules.isError && (
        <Banner variant="danger">Couldn't load the rules: {errorMessage(rules.error)}</Banner>
      )}
      {done !== null && (
        <Banner variant="success" data-testid="rules-done">
          {done}
        </Banner>
      )}
      <ProblemNotice error={approve.error} what="Couldn't approve" />
      <ProblemNotice error={reject.error} what="Couldn't reject" />
      {overview !== undefined && (
        <>
          <Card className="profile-card" data-testid="active-rules">
            <H2 className="section-title">Active: version {overview.active.version}</H2>
            <Body>
              “{overview.active.reason}” — {overview.active.createdBy?.name ?? 'the system'}
              {overview.active.activatedAt === null
                ? ''
                : `, active since ${dateTime(overview.active.activatedAt)}`}
              {overview.active.approvedBy === null ? '' : `, approved by ${overview.active.approvedBy.name}`}.
            </Body>
            <RulesTable
              spec={overview.active.spec}
              label={`Rules of active version ${overview.active.version}`}
            />
          </Card>
          {overview.pending !== null && (
            <PendingVersion
              key={overview.pending.version}
              pending={overview.pending}
              myId={myId}
              busy={approve.isPending || reject.isPending}
              onApprove={() => overview.pending !== null && onApprove(overview.pending.version)}
              onReject={(note) => overview.pending !== null && onReject(overview.pending.version, note)}
            />
          )}
          <RulesEditor key={overview.active.version} overview={overview} onProposed={onProposed} />
          <section aria-labelledby="rules-history">
            <H2 id="rules-history" className="section-title">
              History
            </H2>
            <VersionHistory versions={overview.versions} />
          </section>
        </>
      )}
    </main>
  );
}
