import { HttpBrowser, formAction, hiddenInput } from './browserless';

/** The first administrator's generated credentials, as the server printed them at first start. */
export function bootstrapAdmin(output: string) {
  const password = /Administrator\s+admin \/ (\S+)/.exec(output)?.[1];
  if (!password) throw new Error(`no bootstrap credentials in server output:\n${output}`);
  return { username: 'admin', password };
}

/**
 * Signs in to the console over HTTP through the provider's real login page; returns the
 * browser (holding the console session) and the landing page's HTML.
 */
export async function signInToConsole(origin: string, credentials: { username: string; password: string }, path = '/console') {
  const browser = new HttpBrowser();
  let url = `${origin}${path}`;
  let response = await browser.request(url);
  let submitted = false;
  for (let step = 0; step < 15; step++) {
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href;
      response = await browser.request(url);
      continue;
    }
    const html = await response.text();
    const login = formAction(html, 'login');
    const csrf = hiddenInput(html, 'csrf');
    if (login && csrf && !submitted) {
      submitted = true;
      response = await browser.request(new URL(login, origin).href, { form: { csrf, ...credentials }, headers: { origin } });
      url = new URL(login, origin).href;
      continue;
    }
    return { browser, html, url, status: response.status };
  }
  throw new Error('console sign-in did not finish');
}
