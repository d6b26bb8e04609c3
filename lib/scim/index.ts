export { handleScimRequest } from './http';
export { createScimToken, listScimTokens, revokeScimToken, authenticateScimToken, createScimTokenSchema, type ScimTokenDto, type CreateScimTokenInput } from './tokens';
export { scimBaseUrl } from './context';
export { scimOverview, setScimPasswordPolicy, type ScimOverview } from './console';
export { URN as SCIM_URN, LIMITS as SCIM_LIMITS } from './constants';
