import type { CellValue, Filter } from '../../../api';
import { OPERATOR_LABELS } from '../../shared/model/filterModel';

// The filters a chart shows as removable chips: the ones it started with (the grid's, when the user switched
// from it) and that it passes to every aggregate.

function operand(value: CellValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

export function chipText(filter: Filter): string {
  if (filter.op === 'isnull' || filter.op === 'notnull') return `${filter.column} ${OPERATOR_LABELS[filter.op]}`;
  if (filter.op === 'in') {
    const values = Array.isArray(filter.value) ? filter.value : filter.value === undefined ? [] : [filter.value];
    return `${filter.column} in (${values.map(operand).join(', ')})`;
  }
  const value = Array.isArray(filter.value) ? filter.value.map(operand).join(', ') : filter.value === undefined ? '' : operand(filter.value);
  return `${filter.column} ${OPERATOR_LABELS[filter.op]} ${value}`;
}
