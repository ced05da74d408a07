import { escapeHtml, page } from '../../http/html.ts';

/** Server-rendered break-glass pages: no scripts, work in any browser, every refusal says what to do next. */

const FORM_STYLE = `<style>
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input,textarea{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #889397;border-radius:6px;font:inherit}
.warning{background:#FFF8E7;border:1px solid #FFC010;border-radius:6px;padding:.75rem}
.error{background:#FFEAE5;border:1px solid #DB3030;border-radius:6px;padding:.75rem}
</style>`;

export function breakGlassFormPage(
  settings: { sessionMinutes: number; idpDownMinutes: number },
  values: { name?: string; reason?: string } = {},
  message?: string,
): string {
  return page(
    'Break-glass sign-in',
    `${FORM_STYLE}<h1>Break-glass sign-in</h1>
<p class="warning"><strong>Emergency access only.</strong> It opens when the identity provider has been unreachable for
${settings.idpDownMinutes} minutes, or after a second admin approves your request. The session lasts at most
${settings.sessionMinutes} minutes and cannot be renewed; every action in it is audited, an alert is raised now, and an
admin must review the use afterwards.</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/auth/break-glass" autocomplete="off">
<label for="name">Principal name</label>
<input id="name" name="name" required maxlength="40" autocapitalize="none" spellcheck="false" value="${escapeHtml(values.name ?? '')}">
<label for="secret">Secret</label>
<input id="secret" name="secret" type="password" required maxlength="200">
<label for="code">6-digit code from your authenticator app</label>
<input id="code" name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
<label for="reason">Why you need emergency access</label>
<textarea id="reason" name="reason" required minlength="10" maxlength="500" rows="3">${escapeHtml(values.reason ?? '')}</textarea>
<p><button type="submit">Sign in with break-glass</button></p>
</form>
<p class="muted"><a href="/">Back to normal sign-in</a></p>`,
  );
}

export function breakGlassResultPage(title: string, message: string, reference: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p><a class="button" href="/auth/break-glass">Try again</a></p>
<p class="muted">Reference: ${escapeHtml(reference)}</p>`,
  );
}
