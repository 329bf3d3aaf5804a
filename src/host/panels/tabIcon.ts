import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Webview tabs take an image file, not a codicon name (ThemeIcon is not accepted for WebviewPanel.iconPath), so a
// view's codicon is turned into two small SVG files, one coloured for light themes and one for dark ones, written
// once into the extension's storage.

const COLORS = { light: '#424242', dark: '#C5C5C5' } as const;

export class TabIcons {
  private readonly cache = new Map<string, Promise<{ light: vscode.Uri; dark: vscode.Uri } | undefined>>();

  constructor(
    private readonly extensionPath: string,
    private readonly storage: vscode.Uri,
  ) {}

  /** Light/dark icon files for a codicon name, or undefined when the codicon is unknown. */
  forCodicon(name: string | undefined): Promise<{ light: vscode.Uri; dark: vscode.Uri } | undefined> {
    if (!name || !/^[a-z0-9-]+$/.test(name)) return Promise.resolve(undefined);
    let pending = this.cache.get(name);
    if (!pending) {
      pending = this.write(name).catch(() => undefined);
      this.cache.set(name, pending);
    }
    return pending;
  }

  private async write(name: string): Promise<{ light: vscode.Uri; dark: vscode.Uri } | undefined> {
    // dist/codicons ships in the .vsix; node_modules serves development runs before that copy exists.
    const source = [path.join(this.extensionPath, 'dist', 'codicons', `${name}.svg`), path.join(this.extensionPath, 'node_modules', '@vscode', 'codicons', 'src', 'icons', `${name}.svg`)].find(existsSync);
    if (!source) return undefined;
    const svg = await readFile(source, 'utf8');
    const folder = path.join(this.storage.fsPath, 'tab-icons');
    await mkdir(folder, { recursive: true });
    const files = { light: path.join(folder, `${name}-light.svg`), dark: path.join(folder, `${name}-dark.svg`) };
    await writeFile(files.light, svg.replace(/currentColor/g, COLORS.light));
    await writeFile(files.dark, svg.replace(/currentColor/g, COLORS.dark));
    return { light: vscode.Uri.file(files.light), dark: vscode.Uri.file(files.dark) };
  }
}
