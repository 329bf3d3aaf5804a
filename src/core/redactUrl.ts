// Credentials in connection URLs must never reach a message, a log line or the output channel. Redaction errs on the
// side of hiding too much: a mangled log line costs less than a leaked password.

/** Query (and fragment) parameters whose values are secrets, compared case-insensitively. */
const SECRET_PARAMETERS = new Set(['password', 'sslpassword', 'token', 'access_token', 'api_key', 'apikey', 'secret']);

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)/i;

/** Drops the password of the userinfo and the values of secret query parameters from a URL. */
export function redactUrl(url: string): string {
  const scheme = SCHEME.exec(url);
  if (!scheme) return redactParameters(url);
  const rest = url.slice(scheme[1].length);
  const at = userinfoEnd(rest);
  if (at < 0) return scheme[1] + redactParameters(rest);
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  // "user@host" has no password to hide; the user name is kept because it tells connections apart.
  const shown = colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:***`;
  return `${scheme[1]}${shown}@${redactParameters(rest.slice(at + 1))}`;
}

/** Redacts every URL found in a free-text message (a log line, an error a driver raised). */
export function redactUrlsIn(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, (url) => redactUrl(url));
}

/**
 * Index of the `@` that ends the userinfo in `rest` (the URL after "scheme://"), or -1. A password may hold `@`
 * ("bob:p@ss@host"), so it is the last `@` of the authority. A password may also hold an unencoded `/`, `?` or
 * `#` that cuts the authority short ("bob:se/cret@host/db" reads as host "bob", port "se"): a "port" that is not
 * a number gives that away, and then everything up to the last `@` is treated as userinfo.
 */
function userinfoEnd(rest: string): number {
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) return at;
  if (authority.startsWith('[')) return -1; // an IPv6 literal: its colons are no password
  const colon = authority.indexOf(':');
  if (colon < 0 || /^\d*$/.test(authority.slice(colon + 1))) return -1;
  return rest.lastIndexOf('@');
}

/** Replaces the values of secret parameters in the query and the fragment (OAuth puts tokens in the fragment). */
function redactParameters(text: string): string {
  return text.replace(/([?#&;])([^=&;#]*)=([^&;#]*)/g, (whole, separator: string, key: string) =>
    SECRET_PARAMETERS.has(decodeKey(key).toLowerCase()) ? `${separator}${key}=***` : whole,
  );
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key; // malformed percent-encoding: compare it as written
  }
}
