export { createUser } from './create-user';
export { authenticateUser, type AuthenticationResult } from './authenticate-user';
export { findAccountClaims } from './find-account';
export { createUserSchema, loginSchema, passwordSchema, usernameSchema } from './schemas';
