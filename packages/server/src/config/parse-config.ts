import type { z } from 'zod';
import { configSchema, type Config } from './config-schema.ts';

/** A configuration that failed validation; `message` names every bad field and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Formats zod issues as `apps[0].secretKey: must be at least 16 characters`. */
export function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const path = i.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      return `${path || '(root)'}: ${i.message}`;
    })
    .join('; ');
}

/** Validates a parsed configuration object, applying defaults. */
export function parseConfig(input: unknown, source = 'configuration'): Config {
  const r = configSchema.safeParse(input);
  if (!r.success) throw new ConfigError(`invalid ${source}: ${formatIssues(r.error.issues)}`);
  return r.data;
}
