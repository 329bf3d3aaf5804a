import type * as vscode from 'vscode';
import type { SecretStore } from '../core/datasourceManager';

/** Secrets live in VS Code's SecretStorage (the OS keychain on desktop) and nowhere else. */
export function secretStoreFrom(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}
