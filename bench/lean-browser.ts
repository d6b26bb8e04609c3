/**
 * The bench's sign-in client: the suites' HttpBrowser (cookie jar, forms, manual redirects) over
 * node:http with a keep-alive agent instead of fetch. The generator shares the two cores with
 * the server and Postgres, and fetch cost it over a millisecond of CPU per request; a lighter
 * client leaves that CPU to the system under test (as autocannon does for the grants). The
 * token requests (code exchange, preflight) use the same exchange.
 */
import http from 'node:http';
import { HttpBrowser } from '../e2e/support/browserless';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP exchange over the keep-alive agent, redirects not followed. */
export function leanSend(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const outgoing = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(url, { method, headers: outgoing, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class LeanHttpBrowser extends HttpBrowser {
  protected override send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Response> {
    return leanSend(url, method, headers, body);
  }
}
