import type { FormQuestion, PublicForm } from '../../../contract/api/forms.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { escapeHtml as e } from '../../http/html.ts';
import { choicesOf, isMulti } from './forms.answers.ts';

/**
 * The public page /f/<slug>, rendered on the server: mobile-first, no scripts (the CSP allows none inline and
 * the page needs none), usable with a screen reader and with large tap targets. Every string a form owner or
 * a sender wrote is escaped here, once, at the point it enters the HTML.
 */

/** What the sender typed or picked, by field name, to show again beside the errors. */
export type KeptValues = { answers: Record<string, string | string[]>; consent: boolean };
/** Messages by question id, plus `consent`. */
export type PageErrors = Record<string, string>;

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#F9FBFA;color:#001E2B}
main{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 3rem}
.card{background:#fff;border:1px solid #E8EDEB;border-radius:12px;padding:1.25rem}
.event{margin:0 0 .25rem;color:#5C6C75;font-size:.9375rem;font-weight:600}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
.lead{margin:0 0 1rem;white-space:pre-line}
.q{border:0;margin:0 0 1.5rem;padding:0;min-width:0}
.q>legend,.q>label.title{display:block;font-weight:600;margin:0 0 .5rem;padding:0}
.req{color:#DB3030}
.help{margin:-.25rem 0 .5rem;color:#5C6C75;font-size:.9375rem}
.err{margin:0 0 .5rem;color:#970606;font-weight:600}
.opt{display:flex;align-items:center;gap:.75rem;min-height:48px;padding:.5rem .75rem;margin:0 0 .5rem;
border:1px solid #C1C7C6;border-radius:8px;background:#fff;cursor:pointer}
.opt input{width:1.375rem;height:1.375rem;margin:0;flex:none;accent-color:#00684A}
.scale{display:grid;grid-template-columns:repeat(5,1fr);gap:.5rem}
.scale .opt{flex-direction:column;justify-content:center;gap:.25rem;margin:0;padding:.5rem 0;text-align:center}
.ends{display:flex;justify-content:space-between;color:#5C6C75;font-size:.875rem;margin-top:.25rem}
input[type=text],textarea{width:100%;min-height:48px;padding:.75rem;border:1px solid #889397;border-radius:8px;font:inherit;background:#fff}
textarea{min-height:7rem;resize:vertical}
[aria-invalid=true]{border-color:#DB3030}
input:focus-visible,textarea:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #0498EC;outline-offset:2px}
.consent .opt{align-items:flex-start}
.consent .opt input{margin-top:.15rem}
button{width:100%;min-height:52px;border:0;border-radius:8px;background:#00684A;color:#fff;font:inherit;font-weight:600;cursor:pointer}
.summary{border:2px solid #DB3030;border-radius:8px;background:#FFEAE5;padding:.75rem 1rem;margin:0 0 1.25rem}
.summary h2{font-size:1.0625rem;margin:0 0 .25rem}.summary ul{margin:0;padding-left:1.25rem}
.summary a{color:#970606}
.hp,.sr{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.foot{color:#5C6C75;font-size:.8125rem;text-align:center;margin-top:1.5rem}
@media (min-width:40rem){main{padding-top:3rem}.card{padding:2rem}}
`;

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${e(title)}</title>
<style>${STYLE}</style></head>
<body><main>${body}<p class="foot">Builder Insights feedback form</p></main></body></html>`;
}

const fieldName = (q: FormQuestion) => `answers.${q.id}`;

function describedBy(q: FormQuestion, error: string | undefined): string {
  const ids = [q.help ? `h-${q.id}` : '', error ? `e-${q.id}` : ''].filter(Boolean);
  return ids.length > 0 ? ` aria-describedby="${ids.join(' ')}"` : '';
}

function notes(q: FormQuestion, error: string | undefined): string {
  return (
    (q.help ? `<p class="help" id="h-${e(q.id)}">${e(q.help)}</p>` : '') +
    (error ? `<p class="err" id="e-${e(q.id)}">${e(error)}</p>` : '')
  );
}

const mark = (q: FormQuestion) =>
  q.required ? ' <span class="req" aria-hidden="true">*</span><span class="sr"> (required)</span>' : '';

function choiceQuestion(q: FormQuestion, kept: string | string[] | undefined, error: string | undefined) {
  const multi = isMulti(q);
  const picked = new Set(Array.isArray(kept) ? kept : kept === undefined ? [] : [kept]);
  const type = multi ? 'checkbox' : 'radio';
  const invalid = error ? ' aria-invalid="true"' : '';
  const options = choicesOf(q)
    .map(
      ([value, label], i) =>
        `<label class="opt"><input type="${type}" name="${e(fieldName(q))}" value="${e(value)}"` +
        `${picked.has(value) ? ' checked' : ''}${!multi && q.required && i === 0 ? ' required' : ''}${invalid}>` +
        `<span>${e(label)}</span></label>`,
    )
    .join('');
  return `<fieldset class="q" id="q-${e(q.id)}"${describedBy(q, error)}><legend>${e(q.label)}${mark(q)}</legend>${notes(q, error)}${options}</fieldset>`;
}

function ratingQuestion(q: FormQuestion, kept: string | string[] | undefined, error: string | undefined) {
  const invalid = error ? ' aria-invalid="true"' : '';
  const options = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label class="opt"><input type="radio" name="${e(fieldName(q))}" value="${n}"` +
        `${kept === String(n) ? ' checked' : ''}${q.required && n === 1 ? ' required' : ''}${invalid}>` +
        `<span>${n}<span class="sr"> of 5</span></span></label>`,
    )
    .join('');
  return `<fieldset class="q" id="q-${e(q.id)}"${describedBy(q, error)}><legend>${e(q.label)}${mark(q)}</legend>${notes(q, error)}<div class="scale">${options}</div><div class="ends" aria-hidden="true"><span>1 · Poor</span><span>5 · Excellent</span></div></fieldset>`;
}

function textQuestion(q: FormQuestion, kept: string | string[] | undefined, error: string | undefined) {
  const value = typeof kept === 'string' ? kept : '';
  const max = q.type === 'developer_role' || q.type === 'company' ? LIMITS.developerField : LIMITS.formAnswer;
  const attrs =
    `id="a-${e(q.id)}" name="${e(fieldName(q))}" maxlength="${max}"${q.required ? ' required' : ''}` +
    `${error ? ' aria-invalid="true"' : ''}${describedBy(q, error)}`;
  const autocomplete =
    q.type === 'company' ? 'organization' : q.type === 'developer_role' ? 'organization-title' : 'off';
  const input =
    q.type === 'long_text'
      ? `<textarea ${attrs} rows="4">${e(value)}</textarea>`
      : `<input type="text" ${attrs} autocomplete="${autocomplete}" value="${e(value)}">`;
  return `<div class="q" id="q-${e(q.id)}"><label class="title" for="a-${e(q.id)}">${e(q.label)}${mark(q)}</label>${notes(q, error)}${input}</div>`;
}

function question(q: FormQuestion, kept: KeptValues, errors: PageErrors): string {
  const value = kept.answers[fieldName(q)];
  const error = errors[q.id];
  if (q.type === 'rating') return ratingQuestion(q, value, error);
  if (choicesOf(q).length > 0) return choiceQuestion(q, value, error);
  return textQuestion(q, value, error);
}

function heading(form: Pick<PublicForm, 'title' | 'eventName'>): string {
  return `${form.eventName ? `<p class="event">${e(form.eventName)}</p>` : ''}<h1>${e(form.title)}</h1>`;
}

/** The form, empty, or again after a refused send: the sender's values kept, each problem beside its field. */
export function formPage(
  form: PublicForm,
  kept: KeptValues = { answers: {}, consent: false },
  errors: PageErrors = {},
): string {
  const byId = new Map(form.questions.map((q) => [q.id, q]));
  const problems = Object.entries(errors);
  const summary =
    problems.length === 0
      ? ''
      : `<div class="summary" role="alert" tabindex="-1"><h2>Please check ${problems.length === 1 ? 'one answer' : `${problems.length} answers`}</h2><ul>${problems
          .map(([id, message]) => {
            const label = id === 'consent' ? 'Consent' : (byId.get(id)?.label ?? 'The form');
            const target = id === 'consent' ? 'consent' : byId.has(id) ? `q-${id}` : 'answers';
            return `<li><a href="#${e(target)}">${e(label)}: ${e(message)}</a></li>`;
          })
          .join('')}</ul></div>`;
  const consentError = errors.consent;
  return shell(
    form.title,
    `<div class="card">${heading(form)}${form.description ? `<p class="lead">${e(form.description)}</p>` : ''}
<p class="help">Questions marked <span class="req">*</span> need an answer.</p>${summary}
<form method="post" action="/f/${e(encodeURIComponent(form.slug))}" id="answers" accept-charset="utf-8">
${form.questions.map((q) => question(q, kept, errors)).join('\n')}
<div class="q consent">${consentError ? `<p class="err" id="e-consent">${e(consentError)}</p>` : ''}<label class="opt" for="consent"><input type="checkbox" id="consent" name="consent" value="yes" required${kept.consent ? ' checked' : ''}${consentError ? ' aria-invalid="true" aria-describedby="e-consent"' : ''}><span>${e(form.consentText)}</span></label></div>
<div class="hp" aria-hidden="true"><label for="website">Website (leave this empty)</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send feedback</button>
</form></div>`,
  );
}

export function thanksPage(form: Pick<PublicForm, 'title' | 'eventName'>): string {
  return shell(
    `Thank you · ${form.title}`,
    `<div class="card">${heading(form)}<h2 role="status">Thank you! Your feedback was received.</h2>
<p>It goes straight to the team that runs these sessions. You can close this page now.</p></div>`,
  );
}

export function closedPage(form: Pick<PublicForm, 'title' | 'eventName'>, detail: string): string {
  return shell(
    `Closed · ${form.title}`,
    `<div class="card">${heading(form)}<h2>This form is closed</h2><p>${e(detail)}</p>
<p>Thank you for wanting to share your feedback. If you still have something to tell us, please talk to the person who shared this form.</p></div>`,
  );
}

export function messagePage(title: string, message: string): string {
  return shell(title, `<div class="card"><h1>${e(title)}</h1><p>${e(message)}</p></div>`);
}

export function notFoundPage(): string {
  return messagePage(
    'Form not found',
    'There is no form at this address. Check the link or the QR code you used, or ask the person who shared it.',
  );
}
