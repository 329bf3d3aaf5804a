// "View full value": a cell's whole value in a dialog (JSON pretty-printed, bytes as a hex dump) with Copy.
import { showDialog } from '../shared/dialogs';
import { el } from '../shared/dom';
import { fullText, hex } from '../shared/model/cellFormat';
import type { TableApp } from './app';
import type { CellPos } from './model/selection';

export class ValueViewer {
  constructor(private readonly app: TableApp) {}

  viewValue(cell: CellPos = this.app.grid.selection.focus): void {
    const row = this.app.display.get(cell.row);
    const column = this.app.visibleColumn(cell.col)?.schema;
    if (!row || !column) return;
    const value = row.values[this.app.columns.indexOf(column)];
    let text: string;
    if (value === undefined) text = this.app.placeholder(column);
    else if (value === null) text = 'NULL';
    else if (value instanceof Uint8Array) text = hexDump(value);
    else text = fullText(value, column);
    const body = el('div');
    body.append(el('div', 'dialog-note', `${column.name} · ${column.declaredType || column.kind}${value === '' ? ' · empty string' : typeof value === 'string' ? ` · ${value.length.toLocaleString('en-US')} characters` : ''}`), el('pre', 'dialog-text', text));
    showDialog(`Row ${row.label} · ${column.name}`, body, [
      { label: 'Copy', run: () => (this.app.client.writeClipboard(value === undefined || value === null ? '' : value instanceof Uint8Array ? `\\x${hex(value)}` : String(value)), true) },
      { label: 'Close', primary: true },
    ]);
  }
}

function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  for (let offset = 0; offset < Math.min(bytes.length, max); offset += 16) {
    const chunk = bytes.subarray(offset, offset + 16);
    const hexPart = [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...chunk].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hexPart.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${(bytes.length - max).toLocaleString('en-US')} more bytes`);
  return lines.join('\n');
}
