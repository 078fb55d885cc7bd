/** One problem found in the configuration: the key at fault and why, never its value. */
export interface ConfigIssue {
  /** The environment key at fault, e.g. `KEYHOUSE_PORT`. */
  readonly key: string;
  /** Why the value was refused, e.g. `must be an integer from 1 to 65535`. */
  readonly reason: string;
}

/**
 * A configuration that cannot start Keyhouse. `key` names the first key at fault and `issues`
 * lists every one; messages never repeat the value (it may be a secret).
 */
export class ConfigError extends Error {
  /** Stable code for the error registry and for the CLI exit code. */
  readonly code = 'config_invalid';
  /** The first key at fault. */
  readonly key: string;
  /** Every key at fault, in schema order. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const first = issues[0] ?? { key: 'configuration', reason: 'is invalid' };
    super(issues.map((issue) => `${issue.key}: ${issue.reason}`).join('; ') || first.reason, options);
    this.name = 'ConfigError';
    this.key = first.key;
    this.issues = Object.freeze([...issues]);
  }

  /** Builds an error for a single key. */
  static forKey(key: string, reason: string, options?: ErrorOptions): ConfigError {
    return new ConfigError([{ key, reason }], options);
  }
}
