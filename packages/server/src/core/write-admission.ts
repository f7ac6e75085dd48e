import type { AppRuntime } from './app-registry.ts';

/**
 * Admission of a write that will send a callback: resolves when the write may go ahead, or returns undefined when it
 * may go at once (the common case, so an unpaced write costs no extra turn). The dispatcher installs one that paces
 * an app's writes by its callback deliveries while their backlog is high (see `dispatch/delivery-admission.ts`).
 */
export type WriteAdmission = (app: AppRuntime, command: string) => Promise<void> | undefined;

/** The admission used when no dispatcher is attached: every write goes at once. */
export const admitAll: WriteAdmission = () => undefined;
