import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderToStaticMarkup } from 'react-dom/server';
import { InteractionStep, interactionMessage, interactionTitle } from '@/components/auth/interaction-step';
import { describeInteraction } from '@/lib/oidc';

/**
 * The sign-in interaction page (GET /t/{tenant}/interaction/{uid}), rendered by the custom server
 * straight to static HTML. Every sign-in shows it twice (password, consent), and it is a plain
 * form page with no client JavaScript, so Next's request pipeline (routing, getServerSideProps,
 * streaming render, document) is pure cost there: measured with bench/step-latency.ts, the
 * page's request took ≈ 3 ms of server CPU through Next and ≈ 1 ms here.
 *
 * Under `next dev` (server.ts does not call this) or without a production build's manifest to take
 * the stylesheet from, the Pages Router page (pages/t/[tenant]/interaction/[uid].tsx), which
 * renders the same component, serves instead.
 */

// An interaction uid is oidc-provider's nanoid (URL-safe alphabet).
const PAGE_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,128})$/;

/** The interaction uid a path under a tenant shows, or null when it is not the page's path. */
export function matchInteractionPage(rest: string): string | null {
  return PAGE_PATH.exec(rest)?.[1] ?? null;
}

let stylesheets: string[] | null | undefined;

/**
 * The production build's stylesheet(s) for the Pages Router (Tailwind from app/globals.css, which
 * pages/_app.tsx imports), as Next itself links them; null without a production build.
 */
export function interactionStylesheets(): string[] | null {
  if (stylesheets !== undefined) return stylesheets;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), '.next', 'build-manifest.json'), 'utf8')) as { pages?: Record<string, string[]> };
    const css = (manifest.pages?.['/_app'] ?? []).filter((file) => file.endsWith('.css'));
    stylesheets = css.length > 0 ? css.map((file) => `/_next/${file}`) : null;
  } catch {
    stylesheets = null;
  }
  return stylesheets;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function renderDocument(title: string, body: string, css: string[]): string {
  const links = css.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}"/>`).join('');
  const head = `<meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>${renderToStaticMarkup(<title>{title}</title>)}${links}`;
  // The same shell as app/layout.tsx and pages/_document.tsx.
  return `<!DOCTYPE html><html lang="en"><head>${head}</head><body class="min-h-screen bg-slate-100 text-slate-900 antialiased">${body}</body></html>`;
}

/**
 * Answers GET/HEAD of the page. Returns false when it cannot (no production build), so the
 * caller hands the request to Next.
 */
export async function handleInteractionPage(req: IncomingMessage, res: ServerResponse, slug: string, uid: string, query: string): Promise<boolean> {
  const css = interactionStylesheets();
  if (!css) return false;
  const error = new URLSearchParams(query).get('error') ?? undefined; // a leading '?' is ignored
  const view = await describeInteraction(slug, uid, req.headers.cookie ?? '');
  const base = `/t/${encodeURIComponent(slug)}/interaction/${encodeURIComponent(uid)}`;
  const body = renderToStaticMarkup(<InteractionStep view={view} base={base} message={interactionMessage(error) ?? undefined} />);
  const html = Buffer.from(renderDocument(interactionTitle(view), body, css));
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // The page carries a CSRF token and, at enrolment, a TOTP secret: never stored by a cache.
  res.setHeader('Cache-Control', 'private, no-cache, no-store, max-age=0, must-revalidate');
  res.setHeader('Content-Length', html.length);
  res.end(req.method === 'HEAD' ? undefined : html);
  return true;
}
