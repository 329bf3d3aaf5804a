import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Webview tabs take an image file, not a codicon name (ThemeIcon is not accepted for WebviewPanel.iconPath), so a
// view's codicon is turned into two small SVG files, one coloured for light themes and one for dark ones, written
// once into the extension's storage. The SVGs come from dist/codicons.json, which the build writes (esbuild.mjs).

const COLORS = { light: '#424242', dark: '#C5C5C5' } as const;

export class TabIcons {
  private readonly cache = new Map<string, Promise<{ light: vscode.Uri; dark: vscode.Uri } | undefined>>();
  private svgs: Promise<Record<string, string>> | undefined;

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
    this.svgs ??= readFile(path.join(this.extensionPath, 'dist', 'codicons.json'), 'utf8').then((text) => JSON.parse(text) as Record<string, string>);
    const svg = Object.hasOwn(await this.svgs, name) ? (await this.svgs)[name] : undefined;
    if (!svg) return undefined;
    const folder = path.join(this.storage.fsPath, 'tab-icons');
    await mkdir(folder, { recursive: true });
    const files = { light: path.join(folder, `${name}-light.svg`), dark: path.join(folder, `${name}-dark.svg`) };
    await writeFile(files.light, svg.replace(/currentColor/g, COLORS.light));
    await writeFile(files.dark, svg.replace(/currentColor/g, COLORS.dark));
    return { light: vscode.Uri.file(files.light), dark: vscode.Uri.file(files.dark) };
  }
}
