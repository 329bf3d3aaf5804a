import { existsSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasourcePlugin, Disposable, NocofloApi, ViewPlugin } from '../../api';
import { errorMessage, type Logger } from '../core/log';

/**
 * Hot reload for plugins under development. `nocoflo.dev.pluginFolders` lists folders of plugin extensions (what
 * "Create Plugin…" generates) or single built modules. Each module's `register(api)` (or, failing that, its
 * `activate()`) is called with an API that records what it registers; when a file under the folder changes (a
 * rebuild), those registrations are disposed, the module is loaded afresh and registered again, and the tabs
 * showing its views or datasources start over — no window reload. A module that fails to load is logged and
 * leaves the rest of Nocoflo alone.
 */
export class DevPluginLoader implements vscode.Disposable {
  private readonly loaded = new Map<string, { registrations: Disposable[]; watchers?: FSWatcher[]; timer?: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly api: NocofloApi,
    private readonly log: Logger,
    /** Told which plugin ids were registered again, so their tabs and sessions can start over. */
    private readonly reloaded: (ids: { views: string[]; datasources: string[] }) => void,
  ) {}

  /** Loads the configured folders: new ones are loaded and watched, removed ones unloaded. */
  async configure(folders: readonly string[]): Promise<void> {
    const wanted = new Set(folders.map((f) => path.resolve(f)));
    for (const folder of [...this.loaded.keys()]) if (!wanted.has(folder)) this.unload(folder);
    for (const folder of wanted) if (!this.loaded.has(folder)) await this.load(folder, true);
  }

  /** Loads every configured folder again (the "Reload Dev Plugins" command). */
  async reloadAll(): Promise<number> {
    const folders = [...this.loaded.keys()];
    for (const folder of folders) await this.load(folder, false);
    return folders.length;
  }

  dispose(): void {
    for (const folder of [...this.loaded.keys()]) this.unload(folder);
  }

  private async load(folder: string, watchIt: boolean): Promise<void> {
    const entry = this.loaded.get(folder) ?? { registrations: [] };
    this.loaded.set(folder, entry);
    for (const d of entry.registrations.splice(0)) safeDispose(d);
    const registered = { views: [] as string[], datasources: [] as string[] };
    try {
      const file = moduleFile(folder);
      forgetModules(path.dirname(file));
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plugin being developed is loaded from disk on purpose
      const mod = require(file) as { register?: (api: NocofloApi) => unknown; activate?: (context: unknown) => unknown };
      const api = this.recordingApi(entry.registrations, registered);
      if (typeof mod.register === 'function') await mod.register(api);
      else if (typeof mod.activate === 'function') await mod.activate({ subscriptions: entry.registrations, extensionPath: folder, nocofloApi: api });
      else throw new Error(`${file} exports neither register(api) nor activate(context).`);
      this.log.info(`Dev plugins: loaded ${folder} (${[...registered.views, ...registered.datasources].join(', ') || 'registered nothing'})`);
      this.reloaded(registered);
    } catch (error) {
      this.log.error(`Dev plugins: ${folder} could not be loaded: ${errorMessage(error)}`);
      void vscode.window.showWarningMessage(`Nocoflo dev plugin ${path.basename(folder)} could not be loaded: ${errorMessage(error)}`);
    }
    if (watchIt && entry.watchers === undefined && existsSync(folder)) {
      // The build output (the main module's folder) and a view's media folder; never node_modules.
      const dirs = new Set([path.dirname(safeModuleFile(folder) ?? path.join(folder, 'index.js')), path.join(folder, 'media')].filter((d) => existsSync(d)));
      entry.watchers = [...dirs].map((dir) =>
        watch(dir, () => {
          // A rebuild writes several files; reload once it settles.
          clearTimeout(entry.timer);
          entry.timer = setTimeout(() => void this.load(folder, false), 300);
        }),
      );
    }
  }

  private unload(folder: string): void {
    const entry = this.loaded.get(folder);
    if (!entry) return;
    clearTimeout(entry.timer);
    for (const w of entry.watchers ?? []) w.close();
    for (const d of entry.registrations.splice(0)) safeDispose(d);
    this.loaded.delete(folder);
  }

  /** The real API, except that registrations are remembered so a reload can take them back. */
  private recordingApi(into: Disposable[], registered: { views: string[]; datasources: string[] }): NocofloApi {
    const api = this.api;
    return Object.freeze({
      ...api,
      apiVersion: api.apiVersion,
      onDidChangePlugins: api.onDidChangePlugins,
      registerDatasource: (plugin: DatasourcePlugin) => {
        const d = api.registerDatasource(plugin);
        into.push(d);
        registered.datasources.push(plugin.id);
        return d;
      },
      registerView: (plugin: ViewPlugin) => {
        const d = api.registerView(plugin);
        into.push(d);
        registered.views.push(plugin.id);
        return d;
      },
    });
  }
}

/** A folder's main module (package.json "main", else index.js), or the file itself. */
function moduleFile(target: string): string {
  if (!existsSync(target)) throw new Error(`${target} does not exist.`);
  if (!statSync(target).isDirectory()) return target;
  const manifest = path.join(target, 'package.json');
  const main = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string }).main : undefined;
  const file = path.resolve(target, main ?? 'index.js');
  if (!existsSync(file)) throw new Error(`${file} does not exist yet: build the plugin first.`);
  return file;
}

function safeModuleFile(target: string): string | undefined {
  try {
    return moduleFile(target);
  } catch {
    return undefined;
  }
}

/** Drops cached modules under `dir`, so the next require reads the rebuilt files. */
function forgetModules(dir: string): void {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const key of Object.keys(require.cache)) if (key.startsWith(prefix)) delete require.cache[key];
}

function safeDispose(d: Disposable): void {
  try {
    d.dispose();
  } catch {
    // Unregistering a plugin the registry already dropped is not an error.
  }
}
