import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * A Node request/response pair carrying only the browser's Cookie header, so oidc-provider's
 * cookie-reading APIs (interactionDetails, Session.get) can run from services that are handed
 * just that header: the sign-in services (called from a Next page and from the custom server's
 * form posts) and the account page.
 */
export function cookieOnlyRequest(cookieHeader: string, path: string) {
  const req = new IncomingMessage(new Socket());
  req.headers = { cookie: cookieHeader, host: 'localhost' };
  req.url = path;
  req.method = 'GET';
  return { req, res: new ServerResponse(req) };
}
