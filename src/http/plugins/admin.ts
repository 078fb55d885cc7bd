import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import { errorResponses } from '../schemas.ts';
import type { PluginOptions } from './options.ts';

/** Operator actions: admins of the bootstrap (operator) workspace only. */
export const adminPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  app.post(
    '/admin/keys/rotate',
    {
      schema: {
        tags: ['admin'],
        description:
          'Re-wraps every workspace data key under a new master key while the service runs. Without `newMasterKey` a new key is generated (only when Keyhouse manages the key file); the key itself is never returned.',
        body: Type.Object(
          { newMasterKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              masterKeyId: Type.String(),
              previousMasterKeyId: Type.String(),
              rewrapped: Type.Integer(),
              keyFile: Type.String(),
            },
            { additionalProperties: false },
          ),
          ...errorResponses(403, 409),
        },
      },
    },
    async (req) => keyhouse.rotateMasterKey(principalOf(req), req.body),
  );
};
