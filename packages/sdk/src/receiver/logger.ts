/** A logger the receiver reports to; pino, console and most loggers fit. Every method is optional. */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
  error?(message: string, details?: Record<string, unknown>): void;
}

const noop = (): void => undefined;

/** A logger with every method present; the SDK logs nothing unless a logger is injected. */
export interface FullLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

type Level = keyof FullLogger;

/** Fills the missing methods of an injected logger with no-ops (calls keep `this`, so `console` works). */
export function completeLogger(logger: Logger | undefined): FullLogger {
  const level =
    (name: Level): FullLogger[Level] =>
    (message, details) => {
      if (details === undefined) logger?.[name]?.(message);
      else logger?.[name]?.(message, details);
    };
  if (!logger) return { debug: noop, info: noop, warn: noop, error: noop };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
