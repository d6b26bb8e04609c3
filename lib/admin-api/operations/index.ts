import type { Operation } from '../operation';
import { auditOperations } from './audit';
import { clientOperations } from './clients';
import { keyOperations } from './keys';
import { roleOperations } from './roles';
import { scimTokenOperations } from './scim-tokens';
import { tenantOperations } from './tenants';
import { userOperations } from './users';

/** Every admin API operation: the routes, the OpenAPI document and the CLI all read this list. */
export const operations: readonly Operation[] = [...tenantOperations, ...clientOperations, ...userOperations, ...keyOperations, ...auditOperations, ...roleOperations, ...scimTokenOperations];

export const ops: Readonly<Record<string, Operation>> = Object.fromEntries(operations.map((op) => [op.id, op]));

export function getOperation(id: string): Operation {
  const op = ops[id];
  if (!op) throw new Error(`unknown admin API operation ${id}`);
  return op;
}
