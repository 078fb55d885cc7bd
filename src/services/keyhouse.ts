/**
 * The Keyhouse service: every use case, composed over one context. The HTTP layer and the CLI's
 * server mode call these; each checks the caller's rights through the decision engine.
 */

import type { Keyring } from '../secrets/keyring.ts';
import { accountService } from './account-service.ts';
import type { ServiceContext } from './context.ts';
import { decisionService } from './decision-service.ts';
import { integrationPermissionService } from './integration-permission-service.ts';
import { integrationService } from './integration-service.ts';
import { keyService, type MasterKeyHolder } from './key-service.ts';
import { memberService } from './member-service.ts';
import { type VerificationServiceOptions, verificationService } from './verification-service.ts';
import { workspaceService } from './workspace-service.ts';

export type { Principal, ServiceContext } from './context.ts';

/** Builds the service from its context. */
export function createKeyhouse(
  ctx: ServiceContext & { keyring: Keyring },
  keys: MasterKeyHolder,
  verification: VerificationServiceOptions = {},
) {
  return {
    context: ctx,
    ...accountService(ctx),
    ...workspaceService(ctx),
    ...memberService(ctx),
    ...integrationService(ctx),
    ...integrationPermissionService(ctx),
    ...decisionService(ctx),
    ...verificationService(ctx, verification),
    ...keyService(ctx, keys),
  };
}

/** The Keyhouse service. */
export type Keyhouse = ReturnType<typeof createKeyhouse>;
