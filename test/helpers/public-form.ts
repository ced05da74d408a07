/**
 * An anonymous visitor of the public feedback forms, from a chosen client IP (the app trusts one proxy hop in
 * tests, so X-Forwarded-For names the visitor): the JSON twin and the server-rendered page's form post.
 */
export function publicFormClient(baseUrl: () => string) {
  const pub = (path: string, ip: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', ip);
    return fetch(`${baseUrl()}${path}`, { ...init, headers, redirect: 'manual' });
  };
  return {
    pub,
    sendJson: (slug: string, body: unknown, ip: string) =>
      pub(`/api/v1/public/forms/${slug}/responses`, ip, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    sendPage: (slug: string, body: string, ip: string) =>
      pub(`/f/${slug}`, ip, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
  };
}
