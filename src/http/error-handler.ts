import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KeyhouseError } from '../core/errors.ts';

/** Maps a Fastify validation error to the paths of the bad fields. */
function validationDetails(error: FastifyError): { fields: { path: string; message: string }[] } {
  const context = error.validationContext ?? 'body';
  const fields = (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const extra = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const base = `${context}${v.instancePath.replaceAll('/', '.')}`;
    const path = missing ? `${base}.${missing}` : extra ? `${base}.${extra}` : base;
    return { path, message: extra ? 'is not an accepted field' : (v.message ?? 'is not valid') };
  });
  return { fields };
}

/** Converts any thrown value into the registry's error shape; never leaks internals. */
export function toKeyhouseError(error: unknown): KeyhouseError {
  if (error instanceof KeyhouseError) return error;
  const e = error as Partial<FastifyError> & { statusCode?: number };
  if ((error as { name?: string })?.name === 'CatalogueError') {
    const issues = (error as { issues?: { path: string; message: string }[] }).issues ?? [];
    return new KeyhouseError(
      'validation_failed',
      issues[0]?.message ?? 'The request names something the catalogue does not know.',
      {
        details: { fields: issues.map((i) => ({ path: `body.${i.path}`, message: i.message })) },
      },
    );
  }
  if (e?.validation)
    return new KeyhouseError('validation_failed', undefined, {
      details: validationDetails(e as FastifyError),
    });
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new KeyhouseError('invalid_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new KeyhouseError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new KeyhouseError('unsupported_media_type');
  }
  if (e?.statusCode === 413) return new KeyhouseError('payload_too_large');
  if (e?.statusCode === 415) return new KeyhouseError('unsupported_media_type');
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new KeyhouseError('validation_failed', 'The request is not valid.');
  }
  return new KeyhouseError('internal', undefined, { cause: error });
}

/** Installs the error and not-found handlers: every answer has the registry's wire form. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const ke = toKeyhouseError(error);
    if (ke.status >= 500) request.log.error({ err: error, code: ke.code }, 'request failed');
    const retry = ke.code === 'rate_limited' || ke.code === 'unavailable' || ke.code === 'sealed';
    if (retry && !reply.hasHeader('retry-after')) reply.header('retry-after', '5');
    return reply.status(ke.status).send(ke.toBody());
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(new KeyhouseError('not_found').toBody()),
  );
}
