/** Raw token-endpoint calls (RFC 6749 §4.1.3, §6), for tests that pick which instance to hit. */
export function basicAuth(clientId: string, secret: string) {
  // RFC 6749 §2.3.1: each part is form-urlencoded before Base64.
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function tokenRequest(tokenEndpoint: string, client: { clientId: string; clientSecret: string }, form: Record<string, string>) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basicAuth(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}
