// Public surface of `eventkit auth`: NATS users and permissions from the registry, nkeys, the
// nats-server authorization config and its drift check, and a development CA.
export { type AuthDrift, authDrift, type DriftKind } from './check.ts';
export { AuthError, type AuthErrorCode, AuthSpecError, isAuthError } from './errors.ts';
export { type GenerateAuthOptions, type GeneratedAuth, generateAuth, userEnvironment } from './generate.ts';
export {
  allowLists,
  type Grant,
  inboxPrefixOf,
  permissionsFromRegistry,
  SPECIAL_USERS,
  servicePermissions,
  type UserPermissions,
  type UserRole,
} from './permissions.ts';
export {
  defaultSecretsDir,
  ensureUserKeys,
  isInside as isInsideProject,
  readUserKey,
  seedFileOf,
  type UserKey,
} from './secrets.ts';
export { type SecuredNatsServer, startSecuredNatsServer } from './secured-server.ts';
export {
  type DeployedUser,
  hasAccountsBlock,
  parseAuthorization,
  renderAuthorization,
  renderServerConfig,
  type ServerConfigOptions,
  type TlsFiles,
} from './server-config.ts';
export { certificateFiles, type DevCertificates, ensureDevCertificates } from './tls.ts';
