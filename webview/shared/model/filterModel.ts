import type { ColumnKind, ColumnSchema, Filter, FilterOperator } from '../../../api';
import { parseInput } from './valueInput';

// Filters as the user edits them (column, operator, text) and as the datasource gets them (structured Filter
// with typed operands). Operands are parsed by column kind, so "price > 10" compares numbers, not text.

export interface FilterDraft {
  column: string;
  op: FilterOperator;
  text: string;
}

export const OPERATOR_LABELS: Record<FilterOperator, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  contains: 'contains',
  startswith: 'starts with',
  endswith: 'ends with',
  isnull: 'is NULL',
  notnull: 'is not NULL',
  in: 'in (a, b, …)',
};

const TEXT_KINDS: ReadonlySet<ColumnKind> = new Set(['text', 'json', 'enum', 'uuid', 'set', 'other']);
const ORDERED: FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'isnull', 'notnull'];

/**
 * What an operator means on text, shown where it is picked (README "Filters" says the same). The grid does not know
 * the engine, so the hint names each where they differ.
 */
export function operatorHint(op: FilterOperator, column: Pick<ColumnSchema, 'kind'>): string {
  if (op === 'contains' || op === 'startswith' || op === 'endswith') {
    return "Ignores case and keeps accents: 'e' finds 'E', not 'é'. Letters beyond A–Z: SQLite keeps their case; PostgreSQL folds those its database locale knows.";
  }
  if (!TEXT_KINDS.has(column.kind) || op === 'isnull' || op === 'notnull') return '';
  const order = column.kind === 'enum' && op !== 'eq' && op !== 'ne' && op !== 'in' ? ' MySQL/MariaDB ENUMs compare in their declared order.' : '';
  return `Compares as the column's collation does: MySQL/MariaDB's usual collations ignore case and accents ('e' = 'É'); PostgreSQL and SQLite compare exactly by default.${order}`;
}

export const needsValue = (op: FilterOperator): boolean => op !== 'isnull' && op !== 'notnull';

export function operatorsFor(column: Pick<ColumnSchema, 'kind' | 'enumValues'>): FilterOperator[] {
  // An ENUM with known values is picked from, so "=" comes first; the text operators stay for partial matches.
  if (column.kind === 'enum' && (column.enumValues?.length ?? 0) > 0) return ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull'];
  if (TEXT_KINDS.has(column.kind)) return ['contains', 'eq', 'ne', 'startswith', 'endswith', 'lt', 'lte', 'gt', 'gte', 'in', 'isnull', 'notnull'];
  if (column.kind === 'boolean') return ['eq', 'ne', 'isnull', 'notnull'];
  if (column.kind === 'blob') return ['isnull', 'notnull'];
  return ORDERED;
}

/** A sensible first operator when a filter is added for a column. */
export const defaultOperator = (column: Pick<ColumnSchema, 'kind' | 'enumValues'>): FilterOperator => operatorsFor(column)[0];

/** How the operand of a filter is entered: nothing, one value picked from a list, several picked, or typed text. */
export type OperandInput = { kind: 'none' } | { kind: 'choice'; options: readonly string[] } | { kind: 'choices'; options: readonly string[] } | { kind: 'text'; placeholder: string };

/**
 * The operand's input for `op` on `column`: an ENUM's values (or a boolean's true/false) are offered rather than
 * typed, since a typo there silently matches nothing. `in` over ENUM values picks several, kept in the draft as the
 * same "a, b" text a typed list uses; values that contain a comma could not be told apart there, so they are typed.
 */
export function operandInput(column: Pick<ColumnSchema, 'kind' | 'enumValues'>, op: FilterOperator): OperandInput {
  if (!needsValue(op)) return { kind: 'none' };
  const values = column.kind === 'enum' ? (column.enumValues ?? []) : column.kind === 'boolean' ? ['true', 'false'] : [];
  const compares = op === 'eq' || op === 'ne' || (column.kind === 'enum' && (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte'));
  if (values.length > 0 && compares) return { kind: 'choice', options: values };
  if (values.length > 0 && op === 'in' && values.every((v) => !v.includes(','))) return { kind: 'choices', options: values };
  return { kind: 'text', placeholder: op === 'in' ? 'a, b, c' : column.kind === 'date' ? 'YYYY-MM-DD' : 'value' };
}

/** The values an `in` draft's text lists ("a, b" → ["a", "b"]), as the multi-select shows them. */
export const listedValues = (text: string): string[] => text.split(',').map((p) => p.trim()).filter((p) => p !== '');

export interface BuiltFilters {
  filters: Filter[];
  /** Drafts that could not be turned into a filter, with the reason (shown next to the draft). */
  problems: { index: number; message: string }[];
}

/** Complete drafts become filters; a draft still missing its operand is skipped silently. */
export function buildFilters(drafts: readonly FilterDraft[], columns: readonly ColumnSchema[]): BuiltFilters {
  const filters: Filter[] = [];
  const problems: BuiltFilters['problems'] = [];
  drafts.forEach((draft, index) => {
    const column = columns.find((c) => c.name === draft.column);
    if (!column) {
      problems.push({ index, message: `Column "${draft.column}" no longer exists.` });
      return;
    }
    if (!operatorsFor(column).includes(draft.op)) {
      problems.push({ index, message: `"${OPERATOR_LABELS[draft.op]}" does not apply to ${column.kind} columns.` });
      return;
    }
    if (!needsValue(draft.op)) {
      filters.push({ column: column.name, op: draft.op });
      return;
    }
    if (draft.text === '') return;
    if (draft.op === 'contains' || draft.op === 'startswith' || draft.op === 'endswith') {
      filters.push({ column: column.name, op: draft.op, value: draft.text });
      return;
    }
    const operandColumn = { ...column, nullable: false };
    if (draft.op === 'in') {
      const values = [];
      for (const part of draft.text.split(',').map((p) => p.trim())) {
        const parsed = parseInput(part, operandColumn);
        if (!parsed.ok) {
          problems.push({ index, message: parsed.error });
          return;
        }
        values.push(parsed.value);
      }
      filters.push({ column: column.name, op: 'in', value: values });
      return;
    }
    const parsed = parseInput(draft.text, operandColumn);
    if (!parsed.ok) problems.push({ index, message: parsed.error });
    else filters.push({ column: column.name, op: draft.op, value: parsed.value });
  });
  return { filters, problems };
}

/** Columns the quick search looks in: text-like ones (numbers and blobs are left to column filters). */
export function searchColumns(columns: readonly ColumnSchema[]): string[] {
  return columns.filter((c) => TEXT_KINDS.has(c.kind) || c.kind === 'date' || c.kind === 'datetime' || c.kind === 'datetimetz').map((c) => c.name);
}
