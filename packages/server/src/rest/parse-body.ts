import type { z } from 'zod';
import { ErrorCatalog, type ErrorName } from '../errors/error-catalog.ts';
import { ImError } from '../errors/im-error.ts';

function isErrorName(text: string): text is ErrorName {
  return Object.prototype.hasOwnProperty.call(ErrorCatalog, text);
}

/**
 * Validates a request body with a zod schema whose fields name their Tencent error as their zod error message
 * (e.g. `z.string({ error: 'TO_ACCOUNT_INVALID' })`). The first failing field becomes that `ImError`, with the
 * field path in `ErrorInfo`; any other failure becomes `fallback`.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, fallback: ErrorName): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.') || 'body';
  if (isErrorName(issue.message)) {
    throw new ImError(issue.message, `${ErrorCatalog[issue.message].info} (${path})`);
  }
  throw new ImError(fallback, `${ErrorCatalog[fallback].info}: ${path}: ${issue.message}`);
}
