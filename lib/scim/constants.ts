/** URNs of RFC 7643 / RFC 7644 and the limits this server advertises in /ServiceProviderConfig. */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/**
 * Schema URIs that clients list in a resource's `schemas` although they define no attribute we
 * could receive: accepted there and ignored (never echoed back). Microsoft Entra ID's documented
 * "Create Group" request lists `…/ADSCIM/2.0/Group` beside the core Group schema; its user
 * requests list only the core and Enterprise User schemas, so User has none. Any other URI is
 * still refused.
 */
export const IGNORED_SCHEMA_URIS: Record<'User' | 'Group', readonly string[]> = {
  User: [],
  Group: ['http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
};

const MAX_RESULTS = 1000;

export const LIMITS = {
  /** Largest request body accepted anywhere (bulk.maxPayloadSize); larger ones get 413. */
  maxPayloadBytes: 1_048_576,
  /** bulk.maxOperations: more operations in one Bulk request get 413. */
  maxBulkOperations: 1000,
  /** filter.maxResults: the largest page; a larger `count` is lowered to it. */
  maxResults: MAX_RESULTS,
  /**
   * Page size when the client gives no `count` (RFC 7644 §3.4.2.4 leaves it to the provider): the
   * advertised maximum. Clients create a resource, list without count and expect to find it; a
   * smaller default would hide resources past it from a client that does not page.
   */
  defaultCount: MAX_RESULTS,
  /** Length of a filter or of an attributes list, in characters. */
  maxFilterLength: 4096,
  /** Operations in one PATCH request. */
  maxPatchOperations: 1000,
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
