/**
 * Request validation: one Ajv for bodies (no type coercion, so a union such as
 * `'ALL' | PipelineEntry[]` is never rewritten while it is tried) and one for path, query and
 * headers (strings coerced to the declared types, as they arrive as text).
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  });
  (addFormats as unknown as (a: Ajv) => Ajv)(ajv);
  return ajv;
}

/** Installs the two validators on an app. */
export function installValidation(app: FastifyInstance): void {
  const body = createAjv({ coerceTypes: false });
  const text = createAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? body.compile(schema) : text.compile(schema),
  );
}
