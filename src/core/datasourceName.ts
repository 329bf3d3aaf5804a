// The name a new connection is offered: what a person would call it, not the raw file name or URL.

/** File extensions that only say "this is a SQLite file": "Chinook_Sqlite.sqlite" is offered as "Chinook_Sqlite". */
const SQLITE_SUFFIX = /\.(sqlite3?|db3?|s3db|sl3)$/i;

/**
 * A name for a connection from its file path or URL: the last path segment (a database, a file, an API path),
 * else the host; never a user name, a password, a query string or a SQLite file's extension.
 */
export function suggestedDatasourceName(fileOrUrl: string): string {
  const trimmed = fileOrUrl.trim();
  const withoutQuery = trimmed.split(/[?#]/)[0];
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(withoutQuery);
  const rest = scheme ? withoutQuery.slice(scheme[0].length) : withoutQuery.replace(/^file:/i, '');
  // user:password@host — the credentials never become part of a name.
  const withoutCredentials = scheme ? rest.replace(/^[^/]*@/, '') : rest;
  const segments = withoutCredentials.split(/[\\/]/).filter(Boolean);
  const last = segments.length > (scheme ? 1 : 0) ? segments[segments.length - 1] : (segments[0] ?? '');
  // Only a URL is percent-encoded; a file may really be named "100%.db".
  const name = (scheme ? decodeSafely(last) : last).replace(SQLITE_SUFFIX, '');
  return name || trimmed;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
