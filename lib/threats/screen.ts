import { AppError } from '@/lib/errors';
import { checkDomain, checkEmailDomain, type DomainContext } from './verdict';

/** Refuses (invalid_input on `field`) an e-mail whose domain is on a blocking domain list. */
export function screenEmailDomain(email: string | null | undefined, tenantId: string | null, field: string, context: DomainContext = {}) {
  if (!email) return;
  if (checkEmailDomain(email, tenantId, { field, ...context }).verdict === 'block') {
    throw new AppError('invalid_input', 'this e-mail domain is not accepted', { field });
  }
}

/** Refuses redirect URIs whose host is on a blocking domain list. */
export function screenRedirectHosts(uris: readonly string[] | undefined, tenantId: string | null, field: string, context: DomainContext = {}) {
  for (const uri of uris ?? []) {
    let host: string;
    try {
      host = new URL(uri).hostname;
    } catch {
      continue; // the URI schema reports malformed URIs
    }
    if (checkDomain(host, tenantId, { field, ...context }).verdict === 'block') {
      throw new AppError('invalid_input', `${host} is on a blocked domain list`, { field });
    }
  }
}
