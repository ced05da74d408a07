import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { FormTemplateList } from '../../../../contract/api/forms.ts';
import { errorMessage } from '../../../ui/api.ts';
import { AppLink } from '../../components/Nav.tsx';
import { navigate } from '../../nav.ts';
import { type FormDraft, questionDraft } from './draft.ts';
import { FormBuilder } from './FormBuilder.tsx';
import { questionTypeLabel } from './labels.ts';
import { useTemplates } from './queries.ts';

type Template = FormTemplateList['items'][number];

function draftFrom(template: Template, consentText: string): FormDraft {
  return {
    template: template.id,
    title: template.title,
    description: template.description ?? '',
    consentText,
    slug: '',
    event: null,
    sessionId: '',
    closesAt: '',
    responseCap: '',
    questions: template.questions.map(questionDraft),
  };
}

/** /admin/forms/new: pick a template, then shape the form it gives. */
export function NewForm() {
  const templates = useTemplates();
  const [draft, setDraft] = useState<FormDraft | null>(null);
  const list = templates.data;
  return (
    <main className="admin-main forms-page">
      <div>
        <AppLink to="/admin/forms">← All forms</AppLink>
      </div>
      <H1>New feedback form</H1>
      {templates.isPending && <Body aria-live="polite">Loading templates…</Body>}
      {templates.isError && (
        <Banner variant="danger">Couldn't load the templates: {errorMessage(templates.error)}</Banner>
      )}
      {list !== undefined && draft === null && (
        <section aria-labelledby="templates-heading">
          <h2 id="templates-heading" className="forms-questions__title">
            Start from a template
          </h2>
          <ul className="forms-templates">
            {list.items.map((template) => (
              <li key={template.id}>
                <Card className="forms-template" data-testid="form-template">
                  <H3 as="h3">{template.label}</H3>
                  <Body>{template.description ?? template.title}</Body>
                  <Body className="muted">
                    {template.questions.length === 0
                      ? 'No questions yet'
                      : template.questions.map((q) => q.label || questionTypeLabel(q.type)).join(' · ')}
                  </Body>
                  <Button
                    variant="primary"
                    size="small"
                    aria-label={`Use the ${template.label} template`}
                    onClick={() => setDraft(draftFrom(template, list.defaultConsentText))}
                  >
                    Use this template
                  </Button>
                </Card>
              </li>
            ))}
          </ul>
        </section>
      )}
      {draft !== null && (
        <>
          <Body>
            From the template: {list?.items.find((t) => t.id === draft.template)?.label ?? draft.template}.{' '}
            <Button size="xsmall" onClick={() => setDraft(null)}>
              Choose another template
            </Button>
          </Body>
          <FormBuilder key={draft.template} initial={draft} onCancel={() => navigate('/admin/forms')} />
        </>
      )}
    </main>
  );
}
