import { LIMITS, URN } from './constants';
import type { ScimContext } from './context';
import { notFound } from './errors';
import { resourceTypes, schemas } from './schema/definitions';
import type { AttributeDef, SchemaDef } from './schema/types';

/**
 * RFC 7644 §4 / RFC 7643 §5–7: what this server supports, exactly. changePassword follows the
 * tenant's setting; every limit here is the one enforced.
 */

export function serviceProviderConfig(ctx: ScimContext) {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: true, maxOperations: LIMITS.maxBulkOperations, maxPayloadSize: LIMITS.maxPayloadBytes },
    filter: { supported: true, maxResults: LIMITS.maxResults },
    changePassword: { supported: Boolean(ctx.tenant.settings.scimAcceptsPasswords) },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: "A SCIM token of this tenant (console: the tenant's SCIM page; CLI: iam scim-token create), sent as Authorization: Bearer <token>.",
        specUri: 'https://datatracker.ietf.org/doc/html/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${ctx.baseUrl}/ServiceProviderConfig` },
  };
}

function attributeJson(a: AttributeDef): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attributeJson) } : {}),
  };
}

function schemaJson(ctx: ScimContext, s: SchemaDef) {
  return {
    schemas: [URN.schema],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(attributeJson),
    meta: { resourceType: 'Schema', location: `${ctx.baseUrl}/Schemas/${s.id}` },
  };
}

function resourceTypeJson(ctx: ScimContext, rt: (typeof resourceTypes)[number]) {
  return {
    schemas: [URN.resourceType],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema.id,
    ...(rt.extensions.length ? { schemaExtensions: rt.extensions.map((e) => ({ schema: e.schema.id, required: e.required })) } : {}),
    meta: { resourceType: 'ResourceType', location: `${ctx.baseUrl}/ResourceTypes/${rt.id}` },
  };
}

const list = (resources: unknown[]) => ({ schemas: [URN.listResponse], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources });

export const listSchemas = (ctx: ScimContext) => list(schemas.map((s) => schemaJson(ctx, s)));
export const listResourceTypes = (ctx: ScimContext) => list(resourceTypes.map((rt) => resourceTypeJson(ctx, rt)));

export function getSchema(ctx: ScimContext, id: string) {
  const s = schemas.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!s) throw notFound(`Schema ${id} not found`);
  return schemaJson(ctx, s);
}

export function getResourceType(ctx: ScimContext, id: string) {
  const rt = resourceTypes.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!rt) throw notFound(`ResourceType ${id} not found`);
  return resourceTypeJson(ctx, rt);
}
