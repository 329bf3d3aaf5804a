// What a REST connection needs, the session with its HTTP client, paging and templates, loaded on the first
// connection. The extension's bundle keeps this module in a file of its own (dist/drivers/rest.js, see esbuild.mjs).
import type { DatasourceContext } from '../../api';
import { RestSession } from './restSession';
import type { RestSettings } from './settings';

export function open(settings: RestSettings, secrets: Record<string, string>, context: DatasourceContext): RestSession {
  return new RestSession(settings, secrets, (level, message) => context.log(level, message));
}
