export { writeOperatorToken, readOperatorToken, readOperatorOrigin, verifyOperatorToken, operatorTokenPath } from './operator-token';
export { dataDirHolder } from './data-dir-holder';
