// The core logs through this interface; the host backs it with the "Nocoflo" output channel, tests with an array.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
