import { z } from 'zod';

/**
 * The admin API's named schemas (request bodies and responses): they become
 * #/components/schemas/{id} in the OpenAPI document. A registry of our own rather than zod's
 * global one, so other modules' schemas never end up in the document.
 */
export const apiSchemas = z.registry<{ id: string }>();
