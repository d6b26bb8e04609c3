import { z } from 'zod';
import { compileJsonPath, JsonPathError } from './json-path';

export const feedFormats = ['plain', 'csv', 'json', 'stix'] as const;
export type FeedFormat = (typeof feedFormats)[number];
export const feedKinds = ['ip', 'domain'] as const;
export type FeedKind = (typeof feedKinds)[number];
export const ipActions = ['block', 'challenge', 'log'] as const;
export type IpAction = (typeof ipActions)[number];
export const domainActions = ['block', 'log'] as const;
export type DomainAction = (typeof domainActions)[number];

const column = z.string().trim().min(1).max(64);

/** CSV: which column holds the value (a header name or a 1-based number), and optional extras. */
export const csvOptionsSchema = z.object({
  delimiter: z.enum([',', ';', '\t', '|', ' ']).default(','),
  header: z.boolean().default(true),
  column: column.default('1'),
  /** The last address of a range ("start,end" feeds such as DShield's block.txt). */
  endColumn: column.optional(),
  /** A prefix length (24) or a dotted netmask (255.255.255.0) applied to the value. */
  prefixColumn: column.optional(),
  /** Keep a row only when this numeric column is at least minValue (e.g. IPsum's score). */
  minColumn: column.optional(),
  minValue: z.number().optional(),
});
export type CsvOptions = z.infer<typeof csvOptionsSchema>;

export const jsonPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((path, ctx) => {
    try {
      compileJsonPath(path);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof JsonPathError ? error.message : 'invalid JSON path' });
    }
  });

export const jsonOptionsSchema = z.object({ path: jsonPathSchema.default('$[*]') });
export type JsonOptions = z.infer<typeof jsonOptionsSchema>;

export const formatOptionsSchema = z.object({
  csv: csvOptionsSchema.optional(),
  json: jsonOptionsSchema.optional(),
});
export type FormatOptions = z.infer<typeof formatOptionsSchema>;

const feedUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

export const feedInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: feedUrl,
    description: z.string().trim().max(500).optional().default(''),
    format: z.enum(feedFormats),
    kind: z.enum(feedKinds),
    options: formatOptionsSchema.default({}),
    enabled: z.boolean().default(false),
    /** Minutes between fetches: 5 minutes to 7 days. */
    intervalMinutes: z.number().int().min(5).max(10_080).default(60),
    /** null: the policy's action; a feed may ask for a milder or harsher one (e.g. challenge for Tor exits). */
    action: z.enum(ipActions).nullable().default(null),
  })
  .superRefine((feed, ctx) => {
    if (feed.format === 'csv' && !feed.options.csv) feed.options.csv = csvOptionsSchema.parse({});
    if (feed.format === 'json' && !feed.options.json) ctx.addIssue({ code: 'custom', path: ['options', 'json', 'path'], message: 'a JSON feed needs a path to its values' });
  });
export type FeedInput = z.input<typeof feedInputSchema>;
export type FeedDefinition = z.output<typeof feedInputSchema>;

export const manualIocInputSchema = z.object({
  list: z.enum(['allow', 'deny']),
  /** An IP, CIDR, range or domain; its kind is worked out from the value. */
  value: z.string().trim().min(1).max(300),
  reason: z.string().trim().min(1, 'say why').max(500),
  tenantId: z.uuid().nullable().default(null),
  expiresAt: z.coerce.date().nullable().default(null),
});
export type ManualIocInput = z.input<typeof manualIocInputSchema>;

export const policyInputSchema = z.object({
  tenantId: z.uuid().nullable().default(null),
  /** null on a tenant row: inherit the global default. */
  ipAction: z.enum(ipActions).nullable(),
  domainAction: z.enum(domainActions).nullable(),
});
export type PolicyInput = z.input<typeof policyInputSchema>;
