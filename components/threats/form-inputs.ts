import type { FeedInput, PolicyInput } from '@/lib/threats/schemas';

/**
 * FormData → threat-intelligence service input, shared by the client forms (validated with the
 * same zod schemas before submitting) and the server actions (which validate again). Pure.
 */
const text = (fd: FormData, name: string) => {
  const value = fd.get(name);
  return typeof value === 'string' ? value : '';
};
const optional = (fd: FormData, name: string) => text(fd, name).trim() || undefined;

export function feedInput(fd: FormData): FeedInput {
  const format = text(fd, 'format') as 'plain' | 'csv' | 'json' | 'stix';
  const minValue = optional(fd, 'csvMinValue');
  const options =
    format === 'csv'
      ? {
          csv: {
            delimiter: (text(fd, 'csvDelimiter') === 'tab' ? '\t' : text(fd, 'csvDelimiter') || ',') as ',' | ';' | '\t' | '|' | ' ',
            header: fd.get('csvHeader') === 'on',
            column: optional(fd, 'csvColumn') ?? '1',
            endColumn: optional(fd, 'csvEndColumn'),
            prefixColumn: optional(fd, 'csvPrefixColumn'),
            minColumn: optional(fd, 'csvMinColumn'),
            minValue: minValue === undefined ? undefined : Number(minValue),
          },
        }
      : format === 'json'
        ? { json: { path: text(fd, 'jsonPath').trim() } }
        : {};
  const action = text(fd, 'action');
  return {
    name: text(fd, 'name'),
    url: text(fd, 'url').trim(),
    description: text(fd, 'description'),
    format,
    kind: text(fd, 'kind') as 'ip' | 'domain',
    options,
    enabled: fd.get('enabled') === 'on',
    intervalMinutes: Number(text(fd, 'intervalMinutes') || 60),
    action: action === 'block' || action === 'challenge' || action === 'log' ? action : null,
  };
}

export function manualIocInput(fd: FormData) {
  const expires = text(fd, 'expiresAt').trim();
  return {
    list: text(fd, 'list') as 'allow' | 'deny',
    value: text(fd, 'value'),
    reason: text(fd, 'reason'),
    tenantId: text(fd, 'tenantId') || null,
    // datetime-local has no zone: the console works in UTC (as it displays).
    expiresAt: expires ? new Date(`${expires}${expires.length === 16 ? ':00' : ''}Z`) : null,
  };
}

export function policyInput(fd: FormData): PolicyInput {
  const ip = text(fd, 'ipAction');
  const domain = text(fd, 'domainAction');
  const ipAction: PolicyInput['ipAction'] = ip === 'block' || ip === 'challenge' || ip === 'log' ? ip : null;
  const domainAction: PolicyInput['domainAction'] = domain === 'block' || domain === 'log' ? domain : null;
  return {
    tenantId: text(fd, 'tenantId') || null,
    ipAction,
    domainAction,
  };
}
