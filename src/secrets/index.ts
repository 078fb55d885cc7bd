export {
  API_TOKEN_PREFIX,
  API_TOKEN_SECRET_BYTES,
  type GeneratedApiToken,
  generateApiToken,
  hashApiToken,
  type ParsedApiToken,
  parseApiToken,
  verifyApiToken,
} from './api-tokens.ts';
export {
  decodeEncryptedField,
  decryptField,
  type EncryptedField,
  encodeEncryptedField,
  encryptField,
  type FieldBinding,
  fieldAad,
  IV_BYTES,
  open,
  type Sealed,
  SecretDecryptError,
  seal,
  TAG_BYTES,
} from './crypto.ts';
export { prepareDataDir } from './data-dir.ts';
export { fingerprint } from './fingerprint.ts';
export {
  constantTimeEqual,
  createSymmetricKey,
  decodeKeyText,
  KEY_BYTES,
  keyIdOf,
  type SymmetricKey,
} from './key-material.ts';
export {
  type DataKey,
  ENCRYPTION_LIMIT,
  ENCRYPTION_WARN_AT,
  generateDataKey,
  Keyring,
  type KeyringOptions,
  rewrapAll,
  unwrapDataKey,
  type WrappedDataKey,
  wrapDataKey,
} from './keyring.ts';
export {
  assertKeyCheck,
  assertOwnerOnly,
  createMasterKey,
  generateMasterKey,
  keyCheckValue,
  type LoadedMasterKey,
  loadMasterKey,
  type MasterKey,
  MasterKeyMismatchError,
  type MasterKeyOrigin,
  readKeyFile,
} from './master-key.ts';
