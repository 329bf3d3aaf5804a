// The SQLite file overview (the custom editor a database file opens in from the Explorer): its messages between
// the webview and the host. The view shows what the host read and asks for two things: open a table, keep the file.
import type { RowCount, TableKind } from '../api';
import { bare, cancelCommand, type CancelMessage, type ParsedMessage, parseMessage, type RequestOf } from './rpc';
import { type Check, object, str } from './validate';

export interface OverviewColumn {
  name: string;
  type: string;
  nullable: boolean;
  /** Position in the primary key, from 1. */
  primaryKey?: number;
  /** "Artist(ArtistId)" for a foreign key column. */
  references?: string;
}

export interface OverviewTable {
  name: string;
  schema?: string;
  kind: TableKind;
  /** Undefined while counting; `countProblem` says why there is none. */
  rows?: RowCount;
  countProblem?: string;
  columns?: OverviewColumn[];
  /** Why the columns could not be read (the table's own error; the other tables still show). */
  schemaProblem?: string;
}

export interface FileOverviewState {
  /** The file's path as the user knows it (workspace-relative when inside the workspace). */
  file: string;
  datasourceName: string;
  sizeBytes: number;
  /** The file is one of the user's connections (added or kept), not only open from the Explorer. */
  kept: boolean;
  /** Undefined while the list of tables is read. */
  tables?: OverviewTable[];
  /** The file could not be opened at all (not a database, locked, too big for the engine): the whole message. */
  problem?: string;
}

export interface FileOverviewRequests {
  openTable: { params: { name: string; schema?: string }; result: null };
  keep: { params: Record<string, never>; result: { message: string } };
}
export type FileOverviewMethod = keyof FileOverviewRequests;

export type FileOverviewCommand = { type: 'ready' };
export type FromFileOverview = FileOverviewCommand | CancelMessage | RequestOf<FileOverviewRequests>;
export type FileOverviewNotification = { type: 'state'; state: FileOverviewState };

const PARAMS: Record<FileOverviewMethod, Check> = {
  openTable: object({ name: str(1_000) }, { schema: str(1_000) }),
  keep: object({}),
};

/** Checks a message from the overview webview before the host acts on it. */
export const parseFromFileOverview = (raw: unknown): ParsedMessage<FromFileOverview> =>
  parseMessage<FromFileOverview>(raw, { requests: PARAMS, commands: { ready: bare('ready'), cancel: cancelCommand } });
