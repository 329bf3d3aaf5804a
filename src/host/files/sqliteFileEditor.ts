import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasourceManager, DatasourceRecord } from '../../core/datasourceManager';
import { readOverview } from '../../core/fileOverview';
import { errorMessage, type Logger } from '../../core/log';
import type { OpenedFiles } from '../../core/openedFiles';
import type { TableService } from '../../core/tableService';
import { type FileOverviewCommand, type FileOverviewNotification, type FileOverviewRequests, type FileOverviewState, parseFromFileOverview } from '../../../shared/fileOverviewProtocol';
import { ToolPanel } from '../panels/toolPanel';

export const SQLITE_FILE_EDITOR = 'nocoflo.sqliteFile';

export interface SqliteFileEditorDeps {
  extensionUri: vscode.Uri;
  log: Logger;
  opened: OpenedFiles;
  datasources: DatasourceManager;
  tables: TableService;
  /** The SQLite datasource plugin's id, whose records name a file as `config.path`. */
  sqliteType(): string;
  openTable(table: { datasourceId: string; name: string; schema?: string }): Promise<void>;
  /** Makes an opened file one of the user's connections under the same id (Keep in Sidebar). */
  keep(record: DatasourceRecord): Promise<void>;
  /** Another program changed the file: open tabs of the datasource read it again. */
  fileChanged(datasourceId: string): void;
}

/**
 * Database files open in Nocoflo from the Explorer (and Open With…): a read-only custom editor whose page is an
 * overview of the file (tables, views, columns, keys, row counts) that opens tables in the usual tabs. The file is
 * the datasource; edits happen in the table tabs, with their checks, so the overview has nothing to save.
 */
export function registerSqliteFileEditor(deps: SqliteFileEditorDeps): vscode.Disposable[] {
  const provider: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    resolveCustomEditor: (document, panel) => {
      new FileOverviewEditor(deps, document.uri, panel);
    },
  };
  // Hidden overviews are discarded and ask again with `ready` (strict webview rule: no retained context).
  const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
  // The same editor twice: the default for .sqlite/.sqlite3/.db3, and one offered in Open With… for extensions
  // other formats use too (.db above all), so those files open in Nocoflo only when the user chooses it.
  return [SQLITE_FILE_EDITOR, `${SQLITE_FILE_EDITOR}.byChoice`].map((viewType) => vscode.window.registerCustomEditorProvider(viewType, provider, options));
}

/** A SQLite connection's file as the plugin resolves it: relative paths against the first workspace folder. */
function resolved(file: string): string {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.isAbsolute(file) || !base ? path.resolve(file) : path.resolve(base, file);
}

class FileOverviewEditor {
  private readonly tab: ToolPanel<FileOverviewRequests, FileOverviewCommand, FileOverviewNotification>;
  private record: DatasourceRecord | undefined;
  private release: (() => void) | undefined;
  private reading: AbortController | undefined;
  private state: FileOverviewState;
  private readonly file: string;

  constructor(
    private readonly deps: SqliteFileEditorDeps,
    uri: vscode.Uri,
    panel: vscode.WebviewPanel,
  ) {
    this.file = uri.fsPath;
    this.state = { file: vscode.workspace.asRelativePath(uri, false), datasourceName: path.basename(this.file), sizeBytes: 0, kept: false };
    this.tab = new ToolPanel<FileOverviewRequests, FileOverviewCommand, FileOverviewNotification>({
      viewType: SQLITE_FILE_EDITOR,
      title: path.basename(this.file),
      app: 'fileOverview',
      name: 'File overview',
      extensionUri: deps.extensionUri,
      log: deps.log,
      panel,
      parse: parseFromFileOverview,
      handlers: {
        openTable: async ({ name, schema }) => {
          await deps.openTable({ datasourceId: this.datasource().id, name, ...(schema !== undefined ? { schema } : {}) });
          return null;
        },
        keep: async () => {
          const record = this.datasource();
          if (this.state.kept) return { message: `${record.name} is already in the sidebar.` };
          await deps.keep(record);
          this.release = undefined;
          this.post({ kept: true });
          return { message: `${record.name} stays in the Nocoflo sidebar after this editor closes.` };
        },
      },
      command: () => this.show(),
      onDisposed: () => {
        this.reading?.abort();
        this.release?.();
      },
    });
    if (uri.scheme !== 'file') {
      this.post({ problem: `Nocoflo opens database files on this machine's disk; ${uri.scheme}: files are not supported.` });
      return;
    }
    // A change by another program (or by Nocoflo's own save) re-reads the overview; open tabs reload their rows.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(this.file)), `${path.basename(this.file)}{,-wal}`));
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!this.record) return;
        this.deps.fileChanged(this.record.id);
        void this.read();
      }, 300);
    };
    this.tab.register(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), { dispose: () => clearTimeout(timer) });
  }

  /** The user's connection for this file if there is one, else the file as an opened file (for this editor). */
  private datasource(): DatasourceRecord {
    if (this.record) return this.record;
    const type = this.deps.sqliteType();
    const stored = this.deps.datasources.list().find((r) => r.type === type && typeof r.config.path === 'string' && resolved(r.config.path) === path.resolve(this.file));
    if (stored) {
      this.record = stored;
      this.state = { ...this.state, kept: true };
    } else {
      const opened = this.deps.opened.open(this.file);
      this.record = opened.record;
      this.release = opened.release;
    }
    return this.record;
  }

  private show(): void {
    const record = this.datasource();
    this.post({ datasourceName: record.name });
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading?.abort();
    const reading = new AbortController();
    this.reading = reading;
    const record = this.datasource();
    try {
      const size = (await vscode.workspace.fs.stat(vscode.Uri.file(this.file))).size;
      this.post({ sizeBytes: size });
      // A changed file is read afresh: the sidebar and the overview must not show a cached schema.
      this.deps.tables.forget(record.id);
      await readOverview(
        {
          listTables: async (signal) => (await this.deps.datasources.session(record.id)).listTables({ signal }),
          schema: (ref) => this.deps.tables.schema({ datasourceId: record.id, ...ref }),
          count: (ref, { cap, signal }) => this.deps.tables.countRows({ datasourceId: record.id, ...ref }, { cap, estimate: true, signal }),
        },
        reading.signal,
        (tables) => {
          if (!reading.signal.aborted) this.post({ tables, problem: undefined });
        },
      );
    } catch (error) {
      if (reading.signal.aborted) return;
      this.deps.log.warn(`Overview of ${this.file}: ${errorMessage(error)}`);
      this.post({ problem: errorMessage(error) });
    }
  }

  private post(change: Partial<FileOverviewState>): void {
    const next = { ...this.state, ...change };
    if (change.problem === undefined && 'problem' in change) delete next.problem;
    this.state = next;
    this.tab.post({ type: 'state', state: this.state });
  }
}
