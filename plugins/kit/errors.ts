// Helpers for datasource plugins to raise the errors Nocoflo's contract expects (see api/index.d.ts:
// DatasourceError). Any plugin can do the same with `Object.assign(new Error(msg), { code })`.
import type { DatasourceError, DatasourceErrorCode, RowValues } from '../../api';

export function datasourceError(
  code: DatasourceErrorCode,
  message: string,
  extra: { current?: RowValues | null; column?: string; cause?: unknown } = {},
): DatasourceError {
  const error = new Error(message, extra.cause === undefined ? undefined : { cause: extra.cause }) as DatasourceError;
  error.name = 'DatasourceError';
  error.code = code;
  if ('current' in extra) error.current = extra.current;
  if (extra.column !== undefined) error.column = extra.column;
  return error;
}

export function isDatasourceError(error: unknown): error is DatasourceError {
  return error instanceof Error && typeof (error as Partial<DatasourceError>).code === 'string' && error.name === 'DatasourceError';
}
