/**
 * The bench's sign-in client: the same cookie jar and form handling as the suites' HttpBrowser,
 * over node:http with a keep-alive agent instead of fetch. The generator shares the two cores
 * with the server and Postgres, and fetch cost it over a millisecond of CPU per request; a
 * lighter client leaves that CPU to the system under test (as autocannon does for the grants).
 */
import http from 'node:http';
import { HttpBrowser } from '../e2e/support/browserless';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export class LeanHttpBrowser extends HttpBrowser {
  override async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const response = await new Promise<Response>((resolve, reject) => {
      const req = http.request(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, agent }, (res) => {
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
    this.jar.store(response);
    return response;
  }
}
