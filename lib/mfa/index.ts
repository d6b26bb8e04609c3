export { generateTotpSecret, totpUri, verifyTotpCode, TOTP_PERIOD_SECONDS } from './totp';
export { mfaRequirementFor, mfaOffered, clientRequestsMfa, clientRequiresMfa, type MfaRequirement } from './policy';
export { startTotpEnrolment, pendingEnrolment, confirmTotpEnrolment } from './enrolment';
export { verifySecondFactor, lockDuration, MFA_MAX_ATTEMPTS, type ChallengeResult } from './challenge';
export { getMfaStatus, removeTotpFactor, regenerateRecoveryCodes, resetUserMfa, mfaAdoption } from './manage';
export { findConfirmedTotp } from './repo';
export { ACR_PASSWORD, ACR_MFA } from './acr';
