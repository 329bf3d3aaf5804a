// What completion and hover read from the statement being typed: the tables it names with their aliases
// (`FROM Track t JOIN Album AS a`), and what the cursor follows (`t.Na` → qualifier t, prefix Na). A tolerant scan of
// text that is usually half-written, never a parser: whatever it cannot read it skips.

/** A table as the statement names it; `alias` is the name it goes by in the statement (its own name without one). */
export interface TableReference {
  schema?: string;
  name: string;
  alias: string;
}

interface Token {
  kind: 'word' | 'quoted' | 'dot' | 'comma' | 'other';
  text: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const CLOSING: Record<string, string> = { '"': '"', '`': '`', '[': ']' };

function tokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === "'") {
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      out.push({ kind: 'other', text: "'" });
      i = j + 1;
    } else if (c in CLOSING) {
      const close = text.indexOf(CLOSING[c], i + 1);
      const end = close < 0 ? text.length : close;
      out.push({ kind: 'quoted', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j])) j++;
      out.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    } else if (/\s/.test(c)) i++;
    else {
      out.push({ kind: c === '.' ? 'dot' : c === ',' ? 'comma' : 'other', text: c });
      i++;
    }
  }
  return out;
}

/** Words that end a table list or cannot be an alias. */
const NOT_ALIAS = new Set(
  'WHERE ON USING JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL GROUP ORDER HAVING LIMIT OFFSET UNION EXCEPT INTERSECT SET VALUES SELECT FROM AS WINDOW FETCH FOR RETURNING LATERAL TABLESAMPLE WITH DEFAULT'.split(' '),
);
const TABLE_AFTER = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO']);

const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_ALIAS.has(t.text.toUpperCase())));

/** The tables a statement names after FROM (and its comma list), JOIN, UPDATE and INTO, with their aliases. */
export function tableReferences(statement: string): TableReference[] {
  const list = tokens(statement);
  const found: TableReference[] = [];
  for (let i = 0; i < list.length; i++) {
    const keyword = list[i].kind === 'word' ? list[i].text.toUpperCase() : '';
    if (!TABLE_AFTER.has(keyword)) continue;
    let j = i + 1;
    for (;;) {
      if (!isName(list[j])) break;
      const parts = [list[j].text];
      j++;
      while (list[j]?.kind === 'dot' && isName(list[j + 1])) {
        parts.push(list[j + 1].text);
        j += 2;
      }
      const name = parts[parts.length - 1];
      const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
      let alias = name;
      if (list[j]?.kind === 'word' && list[j].text.toUpperCase() === 'AS') j++;
      if (isName(list[j]) && list[j + 1]?.kind !== 'dot') {
        alias = list[j].text;
        j++;
      }
      found.push({ ...(schema !== undefined ? { schema } : {}), name, alias });
      // Only FROM takes a comma list of tables (`FROM a, b`); INTO's comma list would be columns.
      if (keyword === 'FROM' && list[j]?.kind === 'comma') j++;
      else break;
    }
  }
  return found;
}

/** The table `qualifier` stands for in the statement: an alias, else a table named so. */
export function resolveQualifier(references: readonly TableReference[], qualifier: string): TableReference | undefined {
  const q = qualifier.toLowerCase();
  return references.find((r) => r.alias.toLowerCase() === q) ?? references.find((r) => r.name.toLowerCase() === q);
}

/** What the cursor follows: the dotted names before it (`main.Track.` → ['main', 'Track']) and the word typed so far. */
export function completionTarget(textBefore: string): { qualifier: string[]; prefix: string } {
  const prefix = /[A-Za-z0-9_$\u0080-\uffff]*$/.exec(textBefore)?.[0] ?? '';
  let rest = textBefore.slice(0, textBefore.length - prefix.length);
  const qualifier: string[] = [];
  while (rest.endsWith('.')) {
    rest = rest.slice(0, -1);
    const quoted = /(["`\]])$/.exec(rest);
    let part: string | undefined;
    if (quoted) {
      const open = quoted[1] === ']' ? '[' : quoted[1];
      const start = rest.lastIndexOf(open, rest.length - 2);
      if (start < 0) break;
      part = rest.slice(start + 1, -1);
      rest = rest.slice(0, start);
    } else {
      part = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*$/.exec(rest)?.[0];
      if (!part) break;
      rest = rest.slice(0, rest.length - part.length);
    }
    qualifier.unshift(part);
  }
  return { qualifier, prefix };
}

/** Keywords offered by completion, common to the three engines. */
export const SQL_KEYWORDS = (
  'SELECT FROM WHERE AND OR NOT IN IS NULL LIKE BETWEEN EXISTS JOIN INNER LEFT RIGHT FULL OUTER CROSS ON USING AS ' +
  'GROUP BY ORDER ASC DESC HAVING LIMIT OFFSET DISTINCT UNION ALL EXCEPT INTERSECT CASE WHEN THEN ELSE END WITH ' +
  'INSERT INTO VALUES UPDATE SET DELETE CREATE TABLE VIEW INDEX DROP ALTER COUNT SUM AVG MIN MAX COALESCE CAST'
).split(' ');
