export { writeOperatorToken, readOperatorToken, readOperatorOrigin, verifyOperatorToken, operatorTokenPath } from './operator-token';
