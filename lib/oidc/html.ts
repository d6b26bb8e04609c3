/** Minimal, self-contained HTML for the pages oidc-provider renders itself (errors, logout). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font-family:ui-sans-serif,system-ui,sans-serif;background:#f1f5f9;color:#0f172a;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:32px;max-width:420px;width:100%}
h1{font-size:1.25rem;margin:0 0 12px}p{color:#475569;line-height:1.5}code{background:#f1f5f9;padding:2px 4px;border-radius:4px}
button{width:100%;padding:10px;border-radius:8px;border:0;font-size:1rem;margin-top:8px;cursor:pointer}
.primary{background:#4f46e5;color:#fff}.secondary{background:#e2e8f0;color:#0f172a}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function errorPage(out: { error?: string; error_description?: string }): string {
  return page(
    'Sign-in error',
    `<h1>We could not complete this request</h1>
<p role="alert"><code>${escapeHtml(out.error)}</code></p>
<p>${escapeHtml(out.error_description)}</p>
<p>Return to the application and try again. If the problem persists, contact its administrator.</p>`,
  );
}
