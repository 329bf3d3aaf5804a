// A small RFC 4180 reader and writer. Fields are separated by commas and records by CRLF or LF; a field may be
// quoted, and then holds commas, line breaks and "" (one quote). One addition that CSV itself lacks: an empty
// unquoted field is NULL, a quoted empty field ("") is the empty string, and the writer keeps that distinction.

/** A field: text, or null for an empty unquoted field. */
export type CsvField = string | null;

export interface CsvDocument {
  header: string[];
  records: CsvField[][];
  /** The line break the file uses ("\r\n" when any record ends with CRLF), reused when the file is rewritten. */
  newline: '\r\n' | '\n';
}

/** A file that is not well-formed CSV; `line` is 1-based. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Splits `text` into records of fields (no header handling). A trailing line break does not start a record. */
export function parseRecords(text: string): CsvField[][] {
  return split(text).records;
}

/** The records and the line each one starts on. */
function split(text: string): { records: CsvField[][]; lines: number[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte order mark
  const records: CsvField[][] = [];
  const lines: number[] = [1];
  let record: CsvField[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  if (n === 0) return { records, lines: [] };
  for (;;) {
    // At the start of a field.
    let field: CsvField;
    if (text[i] === '"') {
      const startLine = line;
      let value = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new CsvSyntaxError('a quoted field is never closed', startLine);
        const chunk = text.slice(i, quote);
        line += countLineBreaks(chunk);
        value += chunk;
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvSyntaxError(`unexpected ${JSON.stringify(text[i])} after a closing quote (write "" for a quote inside a quoted field)`, line);
      }
      field = value;
    } else {
      let end = i;
      while (end < n && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') {
        if (text[end] === '"') throw new CsvSyntaxError('a quote inside an unquoted field (quote the whole field and write "" for each quote)', line);
        end++;
      }
      field = end === i ? null : text.slice(i, end);
      i = end;
    }
    record.push(field);
    if (i >= n) {
      records.push(record);
      return { records, lines };
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    // A line break: CRLF, LF, or a lone CR.
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    records.push(record);
    record = [];
    if (i >= n) return { records, lines: lines.slice(0, records.length) };
    lines.push(line);
  }
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n' || (s[i] === '\r' && s[i + 1] !== '\n')) count++;
  }
  return count;
}

/** Parses a CSV file whose first record names the columns; every record must have as many fields. */
export function parseCsv(text: string): CsvDocument {
  const { records, lines } = split(text);
  if (records.length === 0) throw new CsvSyntaxError('the file is empty: the first line must name the columns', 1);
  const header = records[0]!.map((name, i) => {
    if (name === null || name.trim() === '') throw new CsvSyntaxError(`column ${i + 1} of the header has no name`, 1);
    return name;
  });
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new CsvSyntaxError(`the header names column "${name}" twice`, 1);
    seen.add(name);
  }
  const body: CsvField[][] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    // A blank line is no record, except in a one-column file, where it is a NULL.
    if (header.length > 1 && record.length === 1 && record[0] === null) continue;
    if (record.length !== header.length) throw new CsvSyntaxError(`${record.length} fields where the header has ${header.length}`, lines[r]!);
    body.push(record);
  }
  return { header, records: body, newline: /\r\n/.test(text) ? '\r\n' : '\n' };
}

/** One field as the writer spells it: NULL empty, the empty string "", quotes where needed. */
export function formatField(value: CsvField): string {
  if (value === null) return '';
  if (value === '' || /[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function formatCsv(header: readonly string[], records: readonly (readonly CsvField[])[], newline: '\r\n' | '\n' = '\r\n'): string {
  return [header, ...records].map((r) => r.map(formatField).join(',') + newline).join('');
}
