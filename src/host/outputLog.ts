import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { redactUrlsIn } from '../core/redactUrl';

/**
 * The "Nocoflo" output channel. Callers never pass secrets; as a last line of defence every URL in a line loses its
 * password and secret query parameters (a driver's error message may quote the URL it was given).
 */
export function createOutputLogger(): { logger: Logger; channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel('Nocoflo', { log: true });
  return {
    channel,
    logger: {
      info: (message) => channel.info(redactUrlsIn(message)),
      warn: (message) => channel.warn(redactUrlsIn(message)),
      error: (message) => channel.error(redactUrlsIn(message)),
    },
  };
}
