// URLs of an endpoint: paths are relative to the base URL (its path prefix and query are kept), and {id} is
// replaced by the record id, URL-encoded, so an id can never add path segments or query parameters.

export function endpointUrl(base: URL, path: string, params: readonly [string, string][] = []): URL {
  const q = path.indexOf('?');
  const pathname = q < 0 ? path : path.slice(0, q);
  const url = new URL(base.toString());
  url.pathname = `${base.pathname.replace(/\/$/, '')}/${pathname.replace(/^\//, '')}`;
  if (q >= 0) for (const [name, value] of new URLSearchParams(path.slice(q + 1))) url.searchParams.append(name, value);
  for (const [name] of params) url.searchParams.delete(name);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url;
}

export function fillId(template: string, id: string | number): string {
  return template.split('{id}').join(encodeURIComponent(String(id)));
}
