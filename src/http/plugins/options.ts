import type { Keyhouse } from '../../services/keyhouse.ts';

/** Options every resource plugin receives. */
export interface PluginOptions {
  readonly keyhouse: Keyhouse;
}
