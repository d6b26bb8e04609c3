import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConfig } from '@/lib/config';

/** Header the custom server sets from the socket address (and strips from incoming requests). */
export const CLIENT_IP_HEADER = 'x-iam-client-ip';

export function requestMeta(headers: Headers) {
  return {
    cookieHeader: headers.get('cookie') ?? '',
    ip: headers.get(CLIENT_IP_HEADER),
    userAgent: headers.get('user-agent'),
  };
}

/**
 * CSRF defence in depth for form posts: a browser always sends Origin on a POST; when it does,
 * it must be our own origin. (The forms also carry an HMAC token and the interaction cookie is
 * SameSite=Lax.)
 */
export function isSameOriginPost(headers: Headers): boolean {
  return isOwnOrigin(headers.get('origin'));
}

/** A request's Origin header value (null when absent) is none or our own public origin. */
export function isOwnOrigin(origin: string | null): boolean {
  return origin === null || origin === getConfig().server.publicOrigin;
}

/**
 * The custom server's answer to a form post whose Origin is another site's: 403, not stored.
 * Returns whether it answered (the sign-in form posts, and the console's and account page's
 * server actions, which Next would refuse by throwing: a 500).
 */
export function refuseCrossOriginPost(req: IncomingMessage, res: ServerResponse): boolean {
  const { origin } = req.headers;
  if (isOwnOrigin(typeof origin === 'string' ? origin : null)) return false;
  res.statusCode = 403;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('cross-origin form post refused');
  return true;
}

/** Reads an application/x-www-form-urlencoded or multipart body into a plain object; never throws. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  try {
    const form = await request.formData();
    const out: Record<string, string> = {};
    for (const [key, value] of form.entries()) if (typeof value === 'string') out[key] = value;
    return out;
  } catch {
    return {};
  }
}
