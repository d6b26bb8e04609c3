export { createClient, clientSecretKey } from './create-client';
export { findClientMetadata } from './find-client';
export { createClientSchema, registerClientSchema, updateClientSchema, clientKinds, redirectUriProblem, type ClientKind, type CreateClientInput, type UpdateClientInput } from './schemas';
export { listClients, getClientOrThrow, updateClient, rotateClientSecret, setClientDisabled, deleteClient, type ClientSummary } from './manage-client';
