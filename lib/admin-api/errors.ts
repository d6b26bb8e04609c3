import { ZodError } from 'zod';
import { isAppError, type AppErrorCode } from '@/lib/errors';
import { getLogger } from '@/lib/log';

/** RFC 6750 §3: why a bearer token was refused. */
export class BearerError extends Error {
  constructor(
    readonly status: 401 | 403,
    /** RFC 6750 error code; absent when the request carried no credentials at all (§3.1). */
    readonly bearerError: 'invalid_token' | 'insufficient_scope' | undefined,
    message: string,
    readonly requiredScope?: string,
    /** The client whose (valid) token fell short, for the audit event of the refusal. */
    readonly clientId?: string,
  ) {
    super(message);
    this.name = 'BearerError';
  }
}

const STATUS: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  disabled: 409,
};

export const REALM = 'iam-admin-api';

/** error_description is a quoted-string limited to %x20-21 / %x23-5B / %x5D-7E (RFC 6750 §3). */
const quoted = (text: string) => text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');

export function wwwAuthenticate(error?: BearerError['bearerError'], description?: string, scope?: string) {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (error && description) parts.push(`error_description="${quoted(description)}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** Dotted field paths and their first message, from a zod error. */
export function fieldErrors(error: ZodError, prefix?: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  return fields;
}

export interface ApiErrorBody {
  error: { code: AppErrorCode | 'too_large' | 'internal_error'; message: string; fields?: Record<string, string> };
}

/**
 * The admin API's one error mapping: `{error:{code,message}}` with the matching status; zod
 * errors are 400 with the fields at fault; anything unexpected is a 500 that says nothing of
 * its cause (the cause goes to the log).
 */
export function toErrorResponse(error: unknown): { status: number; body: ApiErrorBody; headers: Record<string, string> } {
  if (error instanceof BearerError) {
    return {
      status: error.status,
      body: { error: { code: error.status === 401 ? 'unauthorized' : 'forbidden', message: error.message } },
      headers: { 'WWW-Authenticate': wwwAuthenticate(error.bearerError, error.message, error.requiredScope) },
    };
  }
  if (error instanceof ZodError) {
    const fields = fieldErrors(error);
    const summary = Object.entries(fields).map(([path, message]) => `${path}: ${message}`).join('; ');
    return { status: 400, body: { error: { code: 'invalid_input', message: summary || 'invalid input', fields } }, headers: {} };
  }
  // A body over the limit is 413 (RFC 9110 §15.5.14), as the server's guard answers a declared one.
  if (isAppError(error) && error.details?.bodyTooLarge) return { status: 413, body: { error: { code: 'too_large', message: error.message } }, headers: {} };
  if (isAppError(error)) {
    const fields = error.details?.fields as Record<string, string> | undefined;
    const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
    const headers: Record<string, string> = {};
    if (typeof error.details?.requiredScope === 'string') headers['WWW-Authenticate'] = wwwAuthenticate('insufficient_scope', error.message, error.details.requiredScope);
    return {
      status: STATUS[error.code] ?? 400,
      body: { error: { code: error.code, message: error.message, ...(fields ? { fields } : field ? { fields: { [field]: error.message } } : {}) } },
      headers,
    };
  }
  getLogger().error({ err: error }, 'admin API request failed');
  return { status: 500, body: { error: { code: 'internal_error', message: 'an unexpected error occurred' } }, headers: {} };
}
