export { createUser } from './create-user';
export { authenticateUser, PASSWORD_MAX_FAILURES, PASSWORD_LOCK_MS, type AuthenticationResult } from './authenticate-user';
export { changeOwnPassword } from './change-password';
export { findAccountClaims, invalidateAccount } from './find-account';
export { listUsers, getUserOrThrowDto, type UserSummary } from './list-users';
export { updateUser, setUserDisabled, unlockUser, setTemporaryPassword, deleteUser, listUserSessionsAndGrants, revokeUserSession, revokeUserGrant, endUserSessions } from './manage-user';
export { createUserSchema, updateUserSchema, listUsersSchema, loginSchema, passwordSchema, usernameSchema, usernameAsWrittenSchema, usernameKey, userStatuses } from './schemas';
