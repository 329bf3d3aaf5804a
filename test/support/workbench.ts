// Drives the VS Code workbench in Debian's Chromium through playwright-core, the way a person would: keyboard,
// command palette, tree items, and the content of webview iframes.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { repoRoot, type CodeServer } from './codeServer';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export class Workbench {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(server: CodeServer, options: { payload?: [string, string][]; browser?: Browser } = {}): Promise<Workbench> {
    const browser = options.browser ?? (await launchBrowser());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const workbench = new Workbench(browser, page);
    await workbench.goto(server.workbenchUrl(options.payload));
    return workbench;
  }

  /** A workbench someone else started (`npm start`), at its URL; `beforeLoad` runs in the page before VS Code does. */
  static async openUrl(url: string, beforeLoad?: () => void): Promise<Workbench> {
    const browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    if (beforeLoad) await page.addInitScript(beforeLoad);
    const workbench = new Workbench(browser, page);
    await workbench.goto(url);
    return workbench;
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The activity bar appears once the workbench has restored its layout.
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
  }

  /** Reloads the window (what "Developer: Reload Window" does) and waits for the workbench. */
  /**
   * Reloads the window as a user does (Developer: Reload Window), through VS Code's shutdown, which stores the
   * open editors first. A browser reload skips that: the editors come back as last stored by the periodic save,
   * and a tab opened shortly before was sometimes missing after it.
   */
  async reload(): Promise<void> {
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame(), timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await navigated;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
  }

  /** Runs a command by its palette title, e.g. "Nocoflo: Add SQLite File…". */
  async runCommand(title: string): Promise<void> {
    await this.quickOpen(`>${title}`, title);
  }

  /** Opens a workspace file by name through Quick Open (the palette without its ">" searches files). */
  async openFile(name: string): Promise<void> {
    await this.quickOpen(name, name);
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
  }

  /** Types `text` into the palette and accepts the first row showing `row`. */
  private async quickOpen(text: string, row: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const match = this.page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first();
    // F1 from inside a webview reaches the workbench only after the webview forwards it, and a webview that takes
    // the focus while it starts closes an open palette; under load either can happen, so open the palette and find
    // the row again until it shows.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(text);
        await match.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        if (await input.isVisible()) await this.page.keyboard.press('Escape');
      }
    }
    await this.page.keyboard.press('Enter');
  }

  /**
   * Types into the open quick input (input box or quick pick) and accepts. With `title`, first waits for the quick
   * input showing that title, so an answer never lands in the previous step's box while the next one opens.
   */
  async answerQuickInput(text: string, title?: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (title) await widget.locator('.quick-input-title', { hasText: title }).waitFor();
    const input = widget.locator('input');
    await input.waitFor();
    await input.fill(text);
    if (title) await widget.locator('.quick-input-title', { hasText: title }).waitFor();
    await this.page.keyboard.press('Enter');
  }

  async openNocofloSidebar(): Promise<Locator> {
    const view = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: 'Datasources' }) });
    // After a reload the workbench restores the sidebar a moment after the activity bar shows; a click on the
    // already-active container in that moment hides the sidebar again. So wait for it briefly first, and click
    // again if a click toggled it away.
    for (let attempt = 1; ; attempt++) {
      try {
        await view.waitFor({ timeout: attempt === 1 ? 2_000 : 10_000 });
        return view;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.locator('.activitybar .action-item a[aria-label^="Nocoflo"]').click();
      }
    }
  }

  /**
   * Runs `item` from the context menu of the tree row `label`, the way that works every time: Monaco menus can
   * swallow a click while they animate in, so point at the item (it takes the focus) and press Enter, and open the
   * menu again if it did not show or did not close.
   */
  async treeContextMenu(label: string | RegExp, item: RegExp): Promise<void> {
    const menu = this.page.locator('.monaco-menu');
    const entry = menu.locator('.action-item', { hasText: item });
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await menu.isVisible())) await this.treeItem(label).click({ button: 'right' });
        await entry.hover({ timeout: 5_000 });
        await menu.locator('.action-item.focused', { hasText: item }).waitFor({ timeout: 5_000 });
        await this.page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Expands a tree item unless it already is (a click would collapse a row the tree restored expanded). */
  async expandTreeItem(label: string | RegExp): Promise<void> {
    const row = this.treeItem(label);
    for (let attempt = 1; ; attempt++) {
      await row.waitFor();
      if ((await row.getAttribute('aria-expanded')) === 'true') return;
      await row.click();
      try {
        await this.page.locator('.pane-body .monaco-list-row[aria-expanded="true"]').filter({ has: this.page.locator('.label-name', { hasText: label }) }).first().waitFor({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  treeItem(label: string | RegExp): Locator {
    return this.page.locator('.pane-body .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  /** The active webview's content frame (VS Code nests the view's document in two iframes). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  async screenshot(name: string): Promise<string> {
    const dir = path.join(repoRoot(), 'test-results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
