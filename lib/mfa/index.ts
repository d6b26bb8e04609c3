export { generateTotpSecret, totpUri, verifyTotpCode, TOTP_PERIOD_SECONDS } from './totp';
export { mfaRequirementFor, type MfaRequirement } from './policy';
export { startTotpEnrolment, pendingEnrolment, confirmTotpEnrolment } from './enrolment';
export { verifySecondFactor, lockDuration, MFA_MAX_ATTEMPTS, type ChallengeResult } from './challenge';
export { getMfaStatus, removeTotpFactor, regenerateRecoveryCodes, resetUserMfa, mfaAdoption } from './manage';
export { findConfirmedTotp } from './repo';
export const ACR_PASSWORD = 'urn:iam:acr:pwd';
export const ACR_MFA = 'urn:iam:acr:mfa';
