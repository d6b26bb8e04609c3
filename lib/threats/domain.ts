import { domainToASCII } from 'node:url';
import { parseIpRange } from './ip';

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const ASCII_HOST = /^[a-z0-9._-]+$/;

/**
 * A domain as the matcher keys it: lower-case A-labels (IDNA, so "bücher.example" and
 * "xn--bcher-kva.example" are one entry), no trailing dot, a leading "*." or "." dropped
 * (a listed domain already covers its subdomains), at least two labels. Null otherwise.
 */
export function normaliseDomain(input: string): string | null {
  let text = input.trim().toLowerCase();
  if (text.startsWith('*.')) text = text.slice(2);
  else if (text.startsWith('.')) text = text.slice(1);
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.length === 0 || text.length > 253) return null;
  if (!ASCII_HOST.test(text)) {
    text = domainToASCII(text);
    if (!text) return null;
  }
  const labels = text.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) if (!LABEL.test(label)) return null;
  // An address is not a domain (a dotted quad would otherwise pass the label rule).
  if (parseIpRange(text)) return null;
  return text;
}

/** The host of a URL-ish token ("https://evil.example/login", "evil.example:8080/x"), or the token. */
export function hostOf(token: string): string {
  let text = token.trim();
  const scheme = text.indexOf('://');
  if (scheme > 0 && scheme < 12) text = text.slice(scheme + 3);
  const end = text.search(/[/?#]/);
  if (end >= 0) text = text.slice(0, end);
  const at = text.lastIndexOf('@');
  if (at >= 0) text = text.slice(at + 1);
  if (text.startsWith('[')) return text.slice(1, text.indexOf(']') > 0 ? text.indexOf(']') : undefined);
  const colon = text.indexOf(':');
  if (colon >= 0 && text.indexOf(':', colon + 1) < 0) text = text.slice(0, colon);
  return text;
}

/** The domain part of an e-mail address (after the last "@"), normalised, or null. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  return normaliseDomain(email.slice(at + 1));
}
