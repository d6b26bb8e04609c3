export { generateRsaSigningKey, jwkThumbprint } from './generate-key';
export { insertKey, decryptPrivateJwk, publishedKeys } from './repo';
export { rotateSigningKeys, retentionSeconds } from './rotate-keys';
export { loadSigningKeyset } from './load-keyset';
export { listSigningKeys, type SigningKeyDto } from './list-keys';
export { rotateDueKeys } from './rotate-due-keys';
