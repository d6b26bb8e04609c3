export { createUser } from './create-user';
export { authenticateUser, type AuthenticationResult } from './authenticate-user';
export { findAccountClaims } from './find-account';
export { listUsers, getUserOrThrowDto, type UserSummary } from './list-users';
export { updateUser, setUserDisabled, unlockUser, setTemporaryPassword, deleteUser, listUserSessionsAndGrants, revokeUserSession, revokeUserGrant } from './manage-user';
export { createUserSchema, updateUserSchema, listUsersSchema, loginSchema, passwordSchema, usernameSchema, userStatuses } from './schemas';
