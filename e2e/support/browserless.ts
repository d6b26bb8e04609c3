/**
 * A minimal browser over plain HTTP: a cookie jar that honours Path and Max-Age, manual
 * redirects, and the sign-in forms parsed out of the real pages.
 */
interface StoredCookie {
  value: string;
  path: string;
  expires?: number;
}

export class CookieJar {
  private cookies = new Map<string, StoredCookie>();

  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const cookie: StoredCookie = { value: pair.slice(eq + 1), path: '/' };
      for (const attribute of attributes) {
        const [key, val] = attribute.split('=');
        if (key.toLowerCase() === 'path') cookie.path = val;
        if (key.toLowerCase() === 'max-age') cookie.expires = Date.now() + Number(val) * 1000;
        if (key.toLowerCase() === 'expires') cookie.expires = Date.parse(val);
      }
      const key = `${name}|${cookie.path}`;
      if (cookie.expires !== undefined && cookie.expires <= Date.now()) this.cookies.delete(key);
      else this.cookies.set(key, cookie);
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies.entries()]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([key, c]) => `${key.split('|')[0]}=${c.value}`)
      .join('; ');
  }
}

export class HttpBrowser {
  readonly jar = new CookieJar();

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await this.send(url, init.method ?? (init.form ? 'POST' : 'GET'), headers, body);
    this.jar.store(response);
    return response;
  }

  /** The HTTP exchange itself, redirects not followed (the bench swaps in a lighter client). */
  protected send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Response> {
    return fetch(url, { method, headers, body, redirect: 'manual' });
  }
}

export function hiddenInput(html: string, name: string): string | undefined {
  return new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html)?.[1];
}

export function formAction(html: string, suffix: string): string | undefined {
  return new RegExp(`<form[^>]*action="([^"]*/${suffix})"`).exec(html)?.[1];
}

export interface SignInOptions {
  username: string;
  password: string;
  redirectUri: string;
  consent?: 'allow' | 'deny';
  maxSteps?: number;
}

/**
 * Follows an authorization request through the real login and consent pages until the provider
 * redirects to the client's redirect_uri; returns that URL (carrying code or error).
 */
export async function signInOverHttp(browser: HttpBrowser, authorizationUrl: string, options: SignInOptions): Promise<URL> {
  let url = authorizationUrl;
  let response = await browser.request(url);
  for (let step = 0; step < (options.maxSteps ?? 12); step++) {
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, url).toString();
      if (location.startsWith(options.redirectUri)) return new URL(location);
      url = location;
      response = await browser.request(url);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`unexpected ${response.status} at ${url}: ${html.slice(0, 300)}`);
    const origin = new URL(url).origin;
    const csrf = hiddenInput(html, 'csrf');
    const login = formAction(html, 'login');
    const consent = formAction(html, 'consent');
    if (login && csrf) {
      response = await browser.request(new URL(login, origin).toString(), { form: { csrf, username: options.username, password: options.password }, headers: { origin } });
    } else if (consent && csrf) {
      response = await browser.request(new URL(consent, origin).toString(), { form: { csrf, decision: options.consent ?? 'allow' }, headers: { origin } });
    } else {
      throw new Error(`no sign-in form at ${url}: ${html.slice(0, 500)}`);
    }
    url = response.url || url;
  }
  throw new Error('sign-in did not finish');
}
