import { Banner } from '@leafygreen-ui/banner';
import { Body, H1 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { ApiError, errorMessage } from '../../../ui/api.ts';
import { AppLink } from '../../components/Nav.tsx';
import { navigate, pageInfo, subPath, usePathname } from '../../nav.ts';
import { draftOf } from './draft.ts';
import { FormBuilder } from './FormBuilder.tsx';
import { FormDetail } from './FormDetail.tsx';
import { FormsList } from './FormsList.tsx';
import { NewForm } from './NewForm.tsx';
import { useForm } from './queries.ts';
import './forms.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Feedback forms: /admin/forms (list), /admin/forms/new (builder), /admin/forms/<id> (detail) and
 * /admin/forms/<id>/edit. Advocates see and manage their own; managers also their team's (the server decides).
 */
export function FormsPage({ me }: { me: Me }) {
  const rest = subPath(usePathname(), pageInfo('forms'));
  if (rest === null) return <FormsList me={me} />;
  if (rest === 'new') return <NewForm />;
  const [id, action, more] = rest.split('/');
  if (id !== undefined && UUID.test(id) && more === undefined) {
    if (action === undefined) return <FormDetail key={id} id={id} />;
    if (action === 'edit') return <EditForm key={id} id={id} />;
  }
  return (
    <main className="admin-main">
      <H1>Not found</H1>
      <Body>
        There is no such page. <AppLink to="/admin/forms">All forms</AppLink>
      </Body>
    </main>
  );
}

/** The builder on a saved form; it starts over when the form's version changes (a reload after a conflict). */
function EditForm({ id }: { id: string }) {
  const form = useForm(id);
  const back = () => navigate(`/admin/forms/${id}`);
  return (
    <main className="admin-main forms-page">
      <div>
        <AppLink to={`/admin/forms/${id}`}>← Back to the form</AppLink>
      </div>
      <H1>Edit form</H1>
      {form.isPending && <Body aria-live="polite">Loading…</Body>}
      {form.isError && (
        <Banner variant="danger">
          {form.error instanceof ApiError && form.error.status === 404
            ? 'There is no such form, or it is not yours to see.'
            : `Couldn't load the form: ${errorMessage(form.error)}`}
        </Banner>
      )}
      {form.data !== undefined && !form.data.canManage && (
        <Banner variant="warning">You can see this form but not change it.</Banner>
      )}
      {form.data?.canManage === true && (
        <>
          {form.data.responseCount > 0 && (
            <Banner variant="info">
              This form has responses: answers are kept under each question's key, so changing a question's
              meaning makes older answers read oddly. Prefer adding a question to rewording one.
            </Banner>
          )}
          <FormBuilder
            key={`${form.data.id}:${form.data.version}`}
            initial={draftOf(form.data)}
            editing={{ id: form.data.id, version: form.data.version }}
            onCancel={back}
          />
        </>
      )}
    </main>
  );
}
