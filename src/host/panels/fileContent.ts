// The pure half of a view's "save file" request: a file name safe to offer in a dialog, and the bytes to write.
// Free of `vscode` for plain-Node tests; saveFile.ts does the dialog and the write.
import type { WireFileData } from '../../../shared/protocol';
import { base64ToBytes } from '../../../shared/values';

/** Keeps the name a view suggested but never lets it name a folder or a path: separators and control characters go. */
export function safeFileName(suggested: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a file name
  const cleaned = suggested.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_').trim();
  return cleaned === '' ? 'export' : cleaned.slice(0, 200);
}

/** Text becomes UTF-8; bytes arrive as base64 (WireFormatError when that is not valid base64). */
export function fileBytes(data: WireFileData): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : base64ToBytes(data.$bytes);
}

/** Dialog filters as VS Code takes them: extensions without dots, none empty. */
export function dialogFilters(filters: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (!filters) return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, extensions] of Object.entries(filters)) {
    const clean = extensions.map((e) => e.replace(/^\.+/, '').replace(/[^A-Za-z0-9_-]/g, '')).filter((e) => e !== '');
    if (name.trim() !== '' && clean.length > 0) out[name] = clean;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
