// RFC 8288 Link headers: `<https://api.example.com/items?page=3>; rel="next", <…>; rel="last"`. Only what paging
// needs: the target of a relation, resolved against the URL of the response that carried it.

export interface Link {
  url: string;
  rel: string[];
  params: Record<string, string>;
}

/** Splits a Link header into links. Malformed members are skipped rather than failing the whole header. */
export function parseLinkHeader(header: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open);
    if (close < 0) break;
    const url = header.slice(open + 1, close).trim();
    // Parameters run until the next comma outside quotes.
    let j = close + 1;
    let inQuotes = false;
    for (; j < header.length; j++) {
      const c = header[j];
      if (c === '"' && header[j - 1] !== '\\') inQuotes = !inQuotes;
      else if (c === ',' && !inQuotes) break;
    }
    const params: Record<string, string> = {};
    for (const part of splitParams(header.slice(close + 1, j))) {
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase().replace(/\*$/, '');
      if (!name) continue;
      let value = eq < 0 ? '' : part.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      if (!(name in params)) params[name] = value;
    }
    links.push({ url, rel: (params.rel ?? '').toLowerCase().split(/\s+/).filter(Boolean), params });
    i = j + 1;
  }
  return links;
}

function splitParams(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === '"' && text[k - 1] !== '\\') inQuotes = !inQuotes;
    if (c === ';' && !inQuotes) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The absolute URL of the first link with relation `rel`, resolved against `base`; undefined when there is none. */
export function linkTarget(header: string | null | undefined, rel: string, base: string): string | undefined {
  if (!header) return undefined;
  const link = parseLinkHeader(header).find((l) => l.rel.includes(rel));
  if (!link) return undefined;
  try {
    return new URL(link.url, base).toString();
  } catch {
    return undefined;
  }
}
