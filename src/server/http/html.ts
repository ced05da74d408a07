const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * A minimal, self-contained page (no scripts) for server-rendered moments: landing, sign-in errors. The empty
 * icon keeps the browser from asking for /favicon.ico (a 404 in its console on every such page).
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · Builder Insights</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#F9FBFA;color:#001E2B}
main{max-width:32rem;margin:12vh auto;padding:2rem;background:#fff;border:1px solid #E8EDEB;border-radius:12px}
h1{font-size:1.5rem;margin:0 0 .75rem}p{line-height:1.5}
a.button,button{display:inline-block;background:#00684A;color:#fff;border:0;border-radius:6px;padding:.75rem 1.25rem;
font-size:1rem;text-decoration:none;cursor:pointer}a.button:focus,button:focus{outline:3px solid #0498EC;outline-offset:2px}
.muted{color:#5C6C75;font-size:.875rem}
</style></head><body><main>${body}</main></body></html>`;
}
