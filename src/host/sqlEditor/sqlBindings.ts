import * as vscode from 'vscode';

/** The workspaceState key of the bindings: document URI → connection id. */
export const SQL_BINDINGS_KEY = 'nocoflo.sqlBindings';

/**
 * Which connection each SQL document runs on, kept per workspace by document URI, so it comes back after a reload
 * (an untitled document keeps its URI across a reload with hot exit).
 */
export class SqlBindings implements vscode.Disposable {
  private readonly bindings: Map<string, string>;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the URI whose binding changed, or undefined when several did. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    this.bindings = new Map(Object.entries(state.get<Record<string, string>>(SQL_BINDINGS_KEY, {})));
  }

  get(uri: vscode.Uri): string | undefined {
    return this.bindings.get(uri.toString());
  }

  async bind(uri: vscode.Uri, datasourceId: string): Promise<void> {
    this.bindings.set(uri.toString(), datasourceId);
    await this.save();
    this.changed.fire(uri.toString());
  }

  /** Unbinds the documents of connections that no longer exist; answers whether any was. */
  async prune(exists: (datasourceId: string) => boolean): Promise<boolean> {
    const gone = [...this.bindings].filter(([, id]) => !exists(id));
    if (gone.length === 0) return false;
    for (const [uri] of gone) this.bindings.delete(uri);
    await this.save();
    this.changed.fire(undefined);
    return true;
  }

  /** Whether any document is bound to `datasourceId`. */
  isUsed(datasourceId: string): boolean {
    return [...this.bindings.values()].includes(datasourceId);
  }

  private save(): Thenable<void> {
    return this.state.update(SQL_BINDINGS_KEY, Object.fromEntries(this.bindings));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
