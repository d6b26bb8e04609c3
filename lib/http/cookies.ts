/**
 * One cookie's value from a Cookie request header (RFC 6265 §4.2.1: `name=value` pairs joined by
 * "; "), percent-decoded as we encode them. Undefined when absent or not decodable. For the few
 * places that read a cookie from a raw header rather than through Next's cookies().
 */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const raw = pair.slice(eq + 1).trim();
    if (!raw) return undefined;
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
