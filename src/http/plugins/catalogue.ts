import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { compare, leastPrivilege } from '../../core/catalogue/index.ts';
import { KeyhouseError } from '../../core/errors.ts';
import { errorResponses } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

const ProviderId = Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9-]+$' });
const CredentialTypeId = Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9-]+$' });
const Features = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 });
const Open = Type.Object({}, { additionalProperties: true });
const publicRoute = { auth: 'public' as const };

/**
 * The provider catalogue: what each feature needs from each provider and credential type, the
 * least-privilege set, and the comparison of granted scopes with what features need. Public:
 * it holds no data of any workspace.
 */
export const cataloguePlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  const tags = ['catalogue'];
  const catalogue = keyhouse.context.catalogue;
  app.get(
    '/catalogue/providers',
    {
      config: publicRoute,
      schema: {
        tags,
        security: [],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                credentialTypes: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
                features: Type.Array(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async () => ({
      items: Object.values(catalogue.providers).map((p) => ({
        id: p.id,
        name: p.name,
        credentialTypes: Object.entries(p.credentialTypes).map(([id, t]) => ({ id, name: t.name })),
        features: Object.keys(p.features),
      })),
    }),
  );
  app.get(
    '/catalogue/providers/:providerId',
    {
      config: publicRoute,
      schema: {
        tags,
        security: [],
        params: Type.Object({ providerId: ProviderId }),
        response: { 200: Open, ...errorResponses() },
      },
    },
    async (req) => {
      const provider = catalogue.providers[req.params.providerId];
      if (!Object.hasOwn(catalogue.providers, req.params.providerId) || !provider)
        throw new KeyhouseError('not_found');
      return provider;
    },
  );
  app.post(
    '/catalogue/least-privilege',
    {
      config: publicRoute,
      schema: {
        tags,
        security: [],
        body: Type.Object(
          {
            provider: ProviderId,
            credentialType: CredentialTypeId,
            features: Features,
            host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
            tokenName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Open, ...errorResponses() },
      },
    },
    async (req) => leastPrivilege(catalogue, req.body),
  );
  app.post(
    '/catalogue/compare',
    {
      config: publicRoute,
      schema: {
        tags,
        security: [],
        body: Type.Object(
          {
            provider: ProviderId,
            credentialType: CredentialTypeId,
            features: Features,
            grantedScopes: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Open, ...errorResponses() },
      },
    },
    async (req) => compare(catalogue, req.body),
  );
};
