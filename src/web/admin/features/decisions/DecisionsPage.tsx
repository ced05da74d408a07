import { Banner } from '@leafygreen-ui/banner';
import { H1 } from '@leafygreen-ui/typography';
import { AppLink } from '../../components/Nav.tsx';
import { navigate, pageInfo, subPath, usePathname } from '../../nav.ts';
import { useMe } from '../../queries.ts';
import { DecisionDetail } from './DecisionDetail.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { DecisionList } from './DecisionList.tsx';
import { bodyOf, emptyDraft } from './draft.ts';
import { DECISIONS_PATH, decisionHref } from './listUrl.ts';
import { useCreateDecision } from './queries.ts';
import './decisions.css';

function NewDecision() {
  const create = useCreateDecision();
  return (
    <main className="admin-main dc-page">
      <AppLink to={DECISIONS_PATH} className="dc-back">
        ← All decisions
      </AppLink>
      <div className="page-head">
        <H1>New decision</H1>
      </div>
      <DecisionForm
        initial={emptyDraft()}
        selfId={null}
        submitLabel="Add to the register"
        pending={create.isPending}
        onCancel={() => navigate(DECISIONS_PATH)}
        submit={async (draft) => {
          const created = await create.mutateAsync(bodyOf(draft));
          navigate(decisionHref(created.id));
        }}
      />
    </main>
  );
}

/**
 * /admin/decisions: the register; /admin/decisions/new: add one (admins); /admin/decisions/<id>: one decision
 * with its history (admins edit it there). Everyone else reads.
 */
export function DecisionsPage() {
  const me = useMe();
  const pathname = usePathname();
  const rest = subPath(pathname, pageInfo('decisions'));
  const canWrite = me.data?.role === 'admin';
  if (rest === null) return <DecisionList canWrite={canWrite} />;
  if (rest === 'new')
    return canWrite ? (
      <NewDecision />
    ) : (
      <main className="admin-main">
        <Banner variant="info" data-testid="read-only">
          You can read the decision register; admins add and edit decisions.
        </Banner>
        <AppLink to={DECISIONS_PATH}>Back</AppLink>
      </main>
    );
  return <DecisionDetail key={rest} id={rest} canWrite={canWrite} />;
}
