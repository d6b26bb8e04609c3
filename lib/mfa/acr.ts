/** Authentication context classes (OIDC Core §2, acr): a password alone, or with a second factor. */
export const ACR_PASSWORD = 'urn:iam:acr:pwd';
export const ACR_MFA = 'urn:iam:acr:mfa';
