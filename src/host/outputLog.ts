import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/** The "Nocoflo" output channel. Callers never pass secrets; URLs are redacted before they get here. */
export function createOutputLogger(): { logger: Logger; channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel('Nocoflo', { log: true });
  return {
    channel,
    logger: {
      info: (message) => channel.info(message),
      warn: (message) => channel.warn(message),
      error: (message) => channel.error(message),
    },
  };
}
