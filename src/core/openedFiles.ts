import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { DatasourceRecord } from './datasourceManager';
import { suggestedDatasourceName } from './datasourceName';
import { Emitter } from './events';

// Database files opened from the Explorer (the SQLite custom editor): they join the sidebar while an editor shows
// them, without the user adding them, and leave when the last of those editors closes, unless the user keeps them
// (then they become ordinary stored connections under the same id, so open tabs carry on). Nothing here is saved.

const PREFIX = 'file:';

export const isOpenedFile = (id: string): boolean => id.startsWith(PREFIX);

/** A stable id per file, so a tab restored after a reload finds the file it showed. */
export function openedFileId(file: string): string {
  return `${PREFIX}${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16)}`;
}

export interface OpenedFile {
  record: DatasourceRecord;
  /** Call when the editor showing the file closes; the last one removes the file from the sidebar. */
  release(): void;
}

export class OpenedFiles {
  private readonly files = new Map<string, { record: DatasourceRecord; editors: number }>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  /**
   * `known` maps the ids of files opened before (in this workspace) to their paths, and `remember` adds one: a
   * table tab restored after a reload then still finds its file before, or without, the file's own editor.
   */
  constructor(
    private readonly type: () => string,
    private readonly known: ReadonlyMap<string, string> = new Map(),
    private readonly remember: (id: string, file: string) => void = () => undefined,
  ) {}

  /** Opens `file` for one more editor. */
  open(file: string): OpenedFile {
    const id = openedFileId(file);
    let entry = this.files.get(id);
    if (!entry) {
      entry = { record: this.recordFor(id, file), editors: 0 };
      this.files.set(id, entry);
      if (this.known.get(id) !== path.resolve(file)) this.remember(id, path.resolve(file));
      this.changed.fire();
    }
    entry.editors++;
    let released = false;
    return {
      record: entry.record,
      release: () => {
        if (released) return;
        released = true;
        const current = this.files.get(id);
        if (!current || --current.editors > 0) return;
        this.files.delete(id);
        this.changed.fire();
      },
    };
  }

  list(): DatasourceRecord[] {
    return [...this.files.values()].map((f) => f.record);
  }

  /** An open file, or one opened before whose tabs outlive its editor (not listed in the sidebar then). */
  get(id: string): DatasourceRecord | undefined {
    const open = this.files.get(id)?.record;
    if (open) return open;
    const file = this.known.get(id);
    return file === undefined ? undefined : this.recordFor(id, file);
  }

  /** The file is kept (now stored) or closed from the sidebar: it stops being an opened file at once. */
  forget(id: string): void {
    if (this.files.delete(id)) this.changed.fire();
  }

  private recordFor(id: string, file: string): DatasourceRecord {
    return { id, type: this.type(), name: suggestedDatasourceName(file), config: { path: path.resolve(file) }, opened: true };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
