import type { ServerResponse } from 'node:http';
import type { EndpointClass } from '@/lib/server/guards';
import type { Policy } from './policies';

/** draft-ietf-httpapi-ratelimit-headers: the policy (quota q per window w) and its state (r left, t seconds). */
export function setRateLimitHeaders(res: ServerResponse, policy: Policy, remaining: number, resetSeconds: number) {
  const name = `${policy.endpoint}-${policy.keyType}`;
  res.setHeader('RateLimit-Policy', `"${name}";q=${policy.limit};w=${policy.windowSeconds}`);
  res.setHeader('RateLimit', `"${name}";r=${Math.max(0, remaining)};t=${resetSeconds}`);
}

const OAUTH_JSON: EndpointClass[] = ['token', 'introspection', 'revocation', 'userinfo'];

/** 429 in each surface's own error format; Retry-After on all. */
export function sendTooManyRequests(res: ServerResponse, endpoint: EndpointClass, retryAfter: number) {
  res.statusCode = 429;
  res.setHeader('Retry-After', String(retryAfter));
  res.setHeader('Cache-Control', 'no-store');
  const message = `Too many requests. Retry after ${retryAfter} seconds.`;
  if (OAUTH_JSON.includes(endpoint)) {
    // RFC 6749 §5.2 shape; temporarily_unavailable is the closest registered error code.
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: message }));
  } else if (endpoint === 'scim') {
    res.setHeader('Content-Type', 'application/scim+json; charset=utf-8');
    res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: message }));
  } else if (endpoint === 'admin_api') {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: 'rate_limited', message } }));
  } else {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Too many requests</title></head><body style="font-family:system-ui;max-width:32rem;margin:4rem auto"><h1>Too many requests</h1><p role="alert">${message}</p></body></html>`);
  }
}
