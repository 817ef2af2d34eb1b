/** The part of a pino logger the emulator uses; any pino logger fits, and by default nothing is logged. */
export interface EmulatorLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error?(object: object, message?: string): void;
  debug?(object: object, message?: string): void;
}

export const silentLogger: EmulatorLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
