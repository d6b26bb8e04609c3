export { getMasterKey, deriveKey } from './master-key';
export { encryptSecret, decryptSecret } from './envelope';
export { randomSecret, randomIdentifier, hashSecret, verifySecret, constantTimeEqual } from './tokens';
