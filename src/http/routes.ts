import {
  adminPlugin,
  auditPlugin,
  cataloguePlugin,
  decisionsPlugin,
  groupsPlugin,
  healthPlugin,
  integrationsPlugin,
  membersPlugin,
  projectsPlugin,
  tokensPlugin,
  verificationPlugin,
  workspacesPlugin,
} from './plugins/index.ts';

/** Every resource plugin, registered under `/api/v1` in this order. */
export const ROUTE_PLUGINS = [
  healthPlugin,
  cataloguePlugin,
  membersPlugin,
  tokensPlugin,
  workspacesPlugin,
  projectsPlugin,
  groupsPlugin,
  integrationsPlugin,
  decisionsPlugin,
  auditPlugin,
  adminPlugin,
  verificationPlugin,
] as const;
