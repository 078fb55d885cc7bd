import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PluginOptions } from './options.ts';

/** Liveness and readiness, public. */
export const healthPlugin: FastifyPluginAsyncTypebox<PluginOptions> = async (app, { keyhouse }) => {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['health'],
        security: [],
        response: {
          200: Type.Object(
            { status: Type.Literal('ok'), revision: Type.Integer(), store: Type.String() },
            { additionalProperties: false },
          ),
        },
      },
    },
    async () => keyhouse.health(),
  );
};
