import { Banner } from '@leafygreen-ui/banner';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { VERDICT_LABEL } from '../../../../contract/api/readiness.ts';
import type { Workspace } from '../../../../contract/api/workspace.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { pageInfo, subPath, usePathname } from '../../nav.ts';
import { useMe } from '../../queries.ts';
import { CommentThread, MentionsOfYou } from './CommentThread.tsx';
import { PhaseCard, PhaseStepper } from './PhaseStepper.tsx';
import { useWorkspace } from './queries.ts';
import { BlockersBanner, RiskForm, RisksSection } from './RisksSection.tsx';
import { WorkstreamForm, WorkstreamsSection } from './WorkstreamsSection.tsx';
import { RiskLevelBadge, riskStatusLabel, workstreamStatusLabel } from './workspaceUi.tsx';
import './workspace.css';

/**
 * /admin/workspace: the program of "Deliver 3" — phases as a stepper with their exit gates' live readiness
 * status, workstreams, risks (open blockers highlighted), and the mentions of you. /admin/workspace/<risk|
 * workstream|phase>/<id>: one item with its comment thread. Everyone who reads may comment; admins edit.
 */
export function WorkspacePage() {
  const me = useMe();
  const pathname = usePathname();
  const workspace = useWorkspace();
  const rest = subPath(pathname, pageInfo('workspace'));
  const canEdit = me.data?.role === 'admin';

  return (
    <main className="admin-main ws-page">
      {workspace.isPending && <Body aria-live="polite">Loading…</Body>}
      {workspace.isError && (
        <Banner variant="danger">Couldn't load the program workspace: {errorMessage(workspace.error)}</Banner>
      )}
      {workspace.data &&
        (rest === null ? (
          <Overview workspace={workspace.data} canEdit={canEdit} />
        ) : (
          <ItemDetail workspace={workspace.data} path={rest} canEdit={canEdit} />
        ))}
    </main>
  );
}

function Overview({ workspace, canEdit }: { workspace: Workspace; canEdit: boolean }) {
  return (
    <>
      <div className="page-head">
        <H1>Program</H1>
      </div>
      <Body data-testid="workspace-verdict">
        Readiness verdict: <strong>{VERDICT_LABEL[workspace.verdict]}</strong> (evaluated{' '}
        {dateTime(workspace.evaluatedAt)}; <AppLink to="/admin/readiness">details</AppLink>). Open blockers:{' '}
        <strong data-testid="open-blocker-count">{workspace.openBlockers}</strong>.
      </Body>
      <BlockersBanner risks={workspace.risks} />
      <PhaseStepper phases={workspace.phases} canEdit={canEdit} />
      <WorkstreamsSection workstreams={workspace.workstreams} phases={workspace.phases} canEdit={canEdit} />
      <RisksSection workstreams={workspace.workstreams} canEdit={canEdit} />
      <MentionsOfYou />
    </>
  );
}

function NotFound({ what }: { what: string }) {
  return (
    <>
      <Banner variant="warning">No such {what}. It may have been removed.</Banner>
      <AppLink to="/admin/workspace">Back to the program</AppLink>
    </>
  );
}

function ItemDetail({ workspace, path, canEdit }: { workspace: Workspace; path: string; canEdit: boolean }) {
  const [type, id = ''] = path.split('/');
  const back = (
    <Body>
      <AppLink to="/admin/workspace">← Program</AppLink>
    </Body>
  );
  if (type === 'phase') {
    const phase = workspace.phases.find((p) => p.id === id);
    if (!phase) return <NotFound what="phase" />;
    return (
      <>
        {back}
        <H2 as="h1">Phase: {phase.name}</H2>
        <PhaseCard phase={phase} canEdit={canEdit} />
        <CommentThread targetType="phase" targetId={phase.id} />
      </>
    );
  }
  if (type === 'workstream') {
    const stream = workspace.workstreams.find((w) => w.id === id);
    if (!stream) return <NotFound what="workstream" />;
    const risks = workspace.risks.filter((r) => r.workstream?.id === stream.id);
    return (
      <>
        {back}
        <H2 as="h1">Workstream: {stream.name}</H2>
        <Body>
          {stream.owner} · {workstreamStatusLabel(stream.status)} ·{' '}
          {workspace.phases.find((p) => p.id === stream.phaseId)?.name ?? 'no phase'} · version{' '}
          {stream.version}
        </Body>
        {stream.description !== '' && <Body>{stream.description}</Body>}
        {risks.length > 0 && (
          <ul className="ws-gates">
            {risks.map((r) => (
              <li key={r.id}>
                <RiskLevelBadge level={r.level} />{' '}
                <AppLink to={`/admin/workspace/risk/${r.id}`}>{r.title}</AppLink> ({riskStatusLabel(r.status)}
                )
              </li>
            ))}
          </ul>
        )}
        {canEdit && <WorkstreamForm key={stream.version} phases={workspace.phases} workstream={stream} />}
        <CommentThread targetType="workstream" targetId={stream.id} />
      </>
    );
  }
  if (type === 'risk') {
    const risk = workspace.risks.find((r) => r.id === id);
    if (!risk) return <NotFound what="risk" />;
    return (
      <>
        {back}
        <H2 as="h1">Risk: {risk.title}</H2>
        <Body>
          <RiskLevelBadge level={risk.level} /> {riskStatusLabel(risk.status)} · {risk.owner}
          {risk.workstream ? ` · ${risk.workstream.name}` : ''} · version {risk.version}
        </Body>
        {risk.blocking && (
          <Banner variant="danger">This blocker makes the rollout verdict no-go while it is open.</Banner>
        )}
        {risk.description !== '' && <Body>{risk.description}</Body>}
        {risk.mitigation !== '' && <Body>Mitigation: {risk.mitigation}</Body>}
        {canEdit && <RiskForm key={risk.version} risk={risk} workstreams={workspace.workstreams} />}
        <CommentThread targetType="risk" targetId={risk.id} />
      </>
    );
  }
  return <NotFound what="page" />;
}
