export { createClient, clientSecretKey } from './create-client';
export { findClientMetadata } from './find-client';
export { createClientSchema, clientKinds, redirectUriProblem, type ClientKind } from './schemas';
