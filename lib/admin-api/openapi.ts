import { z } from 'zod';
import { ROLE_DESCRIPTIONS, roles } from '@/lib/authz';
import { ADMIN_TENANT_SLUG } from '@/lib/bootstrap/constants';
import { getConfig } from '@/lib/config';
import { issuerFor } from '@/lib/oidc';
import { errorSchema } from './dto';
import type { Operation } from './operation';
import { operations } from './operations';
import { apiSchemas } from './schema-registry';

export const API_BASE_PATH = '/api/admin/v1';

type JsonSchema = Record<string, unknown>;

// Query strings carry dates as RFC 3339 text; zod's coerced Date has no JSON Schema of its own.
const overrideUnrepresentable = (ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) => {
  const type = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type;
  if (type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
  if (type === 'bigint') Object.assign(ctx.jsonSchema, { type: 'string', pattern: '^[0-9]+$' });
};

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

const schemaId = (schema: z.ZodType | undefined) => (schema ? apiSchemas.get(schema)?.id : undefined);
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas(): Record<string, JsonSchema> {
  const convert = (io: 'input' | 'output') =>
    (z.toJSONSchema(apiSchemas, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any', override: overrideUnrepresentable }) as { schemas: Record<string, JsonSchema> }).schemas;
  const asInput = convert('input');
  const asOutput = convert('output');
  // Request bodies are documented as a client may send them (defaults optional), the rest as sent back.
  const requestIds = new Set(operations.map((op) => schemaId(op.body)).filter(Boolean));
  return Object.fromEntries(Object.keys(asOutput).sort().map((id) => [id, clean(requestIds.has(id) ? asInput[id] : asOutput[id])]));
}

function fieldSchema(schema: z.ZodType): JsonSchema {
  return clean(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: overrideUnrepresentable }) as JsonSchema);
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  return schema && 'shape' in schema ? ((schema as unknown as z.ZodObject).shape as Record<string, z.ZodType>) : {};
}

function parameters(op: Operation) {
  const path = [
    ...(op.scope === 'tenant' ? [{ name: 'slug', in: 'path', required: true, description: 'Tenant slug', schema: { type: 'string' } }] : []),
    ...Object.entries(objectShape(op.params)).map(([name, schema]) => {
      const json = fieldSchema(schema);
      return { name, in: 'path', required: true, ...(json.description ? { description: json.description } : {}), schema: json };
    }),
  ];
  const query = Object.entries(objectShape(op.query)).map(([name, schema]) => {
    const json = fieldSchema(schema);
    return { name, in: 'query', required: !schema.safeParse(undefined).success, ...(json.description ? { description: json.description } : {}), schema: json };
  });
  return [...path, ...query];
}

const errorResponse = (name: string) => ({ $ref: `#/components/responses/${name}` });

function operationObject(op: Operation) {
  const isRead = op.method === 'GET';
  const responseId = schemaId(op.response.schema);
  const success =
    op.response.status === 204
      ? { description: op.response.description }
      : { description: op.response.description, content: { 'application/json': { schema: responseId ? ref(responseId) : op.response.schema ? fieldSchema(op.response.schema) : {} } } };
  const params = parameters(op);
  const bodyId = schemaId(op.body);
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `Requires permission \`${op.permission}\`${op.scope === 'tenant' ? ' on the tenant' : op.scope === 'global' ? ' on every tenant' : ''}.`].filter(Boolean).join('\n\n'),
    'x-permission': op.permission,
    security: [{ adminClientCredentials: [isRead ? 'api:read' : 'api:write'] }, { localOperator: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: bodyId ? ref(bodyId) : fieldSchema(op.body) } } } }
      : {}),
    responses: {
      [String(op.response.status)]: success,
      // Input, and for changes the domain's own rules (the admin tenant cannot be disabled, …).
      ...(op.body || op.query || op.params || !isRead ? { '400': errorResponse('InvalidInput') } : {}),
      '401': errorResponse('Unauthorized'),
      '403': errorResponse('Forbidden'),
      // Lists filtered by a tenant (audit events) answer 404 for an unknown one too.
      ...(op.scope === 'tenant' || op.params || (op.query && 'tenant' in objectShape(op.query)) ? { '404': errorResponse('NotFound') } : {}),
      ...(isRead ? {} : { '409': errorResponse('Conflict') }),
      ...(op.body ? { '413': errorResponse('TooLarge') } : {}),
      '429': errorResponse('RateLimited'),
      '500': errorResponse('InternalError'),
      '503': errorResponse('Unavailable'),
    },
  };
}

const errorContent = { 'application/json': { schema: ref('Error') } };

/** The OpenAPI 3.1 document of the admin API, generated from the operations and their zod schemas. */
export function buildOpenApiDocument() {
  void errorSchema; // registered in apiSchemas as "Error"
  const { publicOrigin } = getConfig().server;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'IAM admin API',
      version: '1.0.0',
      description: [
        'Manage tenants, OIDC clients, users, signing keys, role bindings and read the audit log: the same operations and rules as the console.',
        `Authenticate with an access token from the admin tenant (${issuerFor(ADMIN_TENANT_SLUG)}): a machine client of that tenant uses the client credentials grant with scope \`api:read\` (read only) and/or \`api:write\`; the client's role bindings decide what it may do (${roles.map((r) => `${r}: ${ROLE_DESCRIPTIONS[r]}`).join('; ')}).`,
        'Errors are `{"error":{"code","message"}}`; invalid input is 400 with `fields`. Lists are paginated with `after` (the previous page\'s `nextCursor`) and `limit`.',
      ].join('\n\n'),
    },
    servers: [{ url: `${publicOrigin}${API_BASE_PATH}` }],
    tags: [
      { name: 'tenants', description: 'Tenants: each is an OpenID Provider with its own issuer, users, clients and keys' },
      { name: 'clients', description: "A tenant's OIDC clients (applications)" },
      { name: 'users', description: "A tenant's users" },
      { name: 'keys', description: "A tenant's signing keys and their rotation" },
      { name: 'audit', description: 'The audit log' },
      { name: 'roles', description: 'Administrator role bindings (owners only)' },
      { name: 'scim', description: "A tenant's SCIM 2.0 bearer tokens (the SCIM endpoint itself is /t/{slug}/scim/v2)" },
    ],
    security: [{ adminClientCredentials: ['api:read'] }, { localOperator: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        adminClientCredentials: {
          type: 'oauth2',
          description: 'RFC 9068 JWT access token (RS256) for the admin API resource, from a machine client of the admin tenant',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuerFor(ADMIN_TENANT_SLUG)}/token`,
              scopes: { 'api:read': 'Read everything the client\'s roles allow', 'api:write': 'Also make the changes the client\'s roles allow' },
            },
          },
        },
        localOperator: {
          type: 'http',
          scheme: 'bearer',
          description: "The admin CLI's operator token (DATA_DIR/operator.token), accepted from loopback addresses only",
        },
      },
      responses: {
        InvalidInput: { description: 'Invalid input: `fields` names each offending field', content: errorContent },
        Unauthorized: {
          description: 'Missing or invalid token (RFC 6750 §3)',
          headers: { 'WWW-Authenticate': { description: 'Bearer challenge; error="invalid_token" when a token was presented', schema: { type: 'string' } } },
          content: errorContent,
        },
        Forbidden: { description: "The caller's roles or token scope do not allow this (audited)", content: errorContent },
        NotFound: { description: 'No such tenant or resource', content: errorContent },
        Conflict: { description: 'Conflicts with the current state (e.g. a duplicate slug)', content: errorContent },
        TooLarge: { description: 'Request body over the limit (code too_large)', content: errorContent },
        RateLimited: {
          description: 'A rate-limit policy refused the request (code rate_limited)',
          headers: {
            'Retry-After': { description: 'Seconds until the request may be retried', schema: { type: 'integer' } },
            RateLimit: { description: 'draft-ietf-httpapi-ratelimit-headers: the policy state', schema: { type: 'string' } },
          },
          content: errorContent,
        },
        Unavailable: { description: 'Too many concurrent requests from this address (code unavailable)', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: errorContent },
        InternalError: { description: 'Unexpected error (details are logged, never returned)', content: errorContent },
      },
    },
  };
}

const CACHE = Symbol.for('iam.adminApi.openapi');
type WithDocument = typeof globalThis & { [CACHE]?: ReturnType<typeof buildOpenApiDocument> };

export function getOpenApiDocument() {
  const g = globalThis as WithDocument;
  g[CACHE] ??= buildOpenApiDocument();
  return g[CACHE];
}
