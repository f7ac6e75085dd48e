import { z } from 'zod';

/** A non-empty string filter; `INVALID_PARAMETERS` when malformed. */
export const textFilter = z.string({ error: 'INVALID_PARAMETERS' }).min(1, { error: 'INVALID_PARAMETERS' }).optional();

/** A Unix-milliseconds filter. */
export const timeFilter = z
  .number({ error: 'INVALID_PARAMETERS' })
  .int({ error: 'INVALID_PARAMETERS' })
  .min(0, { error: 'INVALID_PARAMETERS' })
  .optional();

/** A page size (1–1000). */
export const limitField = z
  .number({ error: 'INVALID_PARAMETERS' })
  .int({ error: 'INVALID_PARAMETERS' })
  .min(1, { error: 'INVALID_PARAMETERS' })
  .max(1000, { error: 'INVALID_PARAMETERS' })
  .optional();

/** A paging cursor (the `NextCursor` of the previous page). */
export const cursorField = z
  .number({ error: 'INVALID_PARAMETERS' })
  .int({ error: 'INVALID_PARAMETERS' })
  .min(1, { error: 'INVALID_PARAMETERS' })
  .optional();
