import * as vscode from 'vscode';

export interface PickOptions<T extends vscode.QuickPickItem> {
  title: string;
  placeholder?: string;
  /** The item highlighted when the picker opens (the current choice), instead of the first. */
  active?: T;
}

/** The picker pickOne shows, as the test-only command nocoflo.internal.quickPick reports it. */
export interface OpenPickInfo {
  title: string;
  placeholder: string;
  items: { label: string; description: string; detail: string }[];
  /** The label of the item the picker opened on. */
  active: string | undefined;
}

/** Not contributed (no palette entry): lets extension-host tests read and answer the open picker. */
export const QUICK_PICK_COMMAND = 'nocoflo.internal.quickPick';

/** The picker open now; a test cannot read or type into the workbench's quick input from the extension host. */
let openPick: { info: OpenPickInfo; choose(label: string): void } | undefined;

/**
 * The test hook behind nocoflo.internal.quickPick: what the open picker offers (undefined when none is open), and,
 * given a label, that item chosen as if the user had accepted it.
 */
export function answerOpenPick(label?: string): OpenPickInfo | undefined {
  const current = openPick;
  if (current && label !== undefined) current.choose(label);
  return current?.info;
}

/**
 * One item from a quick pick. Unlike showQuickPick it stays open when the focus moves: Nocoflo's pickers are often
 * opened from a webview tab, and a webview that takes the focus a moment after a click closed the picker before the
 * user saw it. It can also open on the current choice, which showQuickPick cannot.
 */
export function pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    if (options.placeholder !== undefined) pick.placeholder = options.placeholder;
    pick.ignoreFocusOut = true;
    pick.items = items;
    if (options.active) pick.activeItems = [options.active];
    let chosen: T | undefined;
    const self = {
      info: {
        title: options.title,
        placeholder: options.placeholder ?? '',
        items: items.map((item) => ({ label: item.label, description: item.description ?? '', detail: item.detail ?? '' })),
        active: options.active?.label,
      },
      choose: (label: string) => {
        chosen = items.find((item) => item.label === label);
        if (!chosen) throw new Error(`The picker "${options.title}" has no item "${label}".`);
        pick.hide();
      },
    };
    openPick = self;
    const subscriptions = [
      pick.onDidAccept(() => {
        chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        pick.hide();
      }),
      pick.onDidHide(() => {
        if (openPick === self) openPick = undefined;
        for (const s of subscriptions) s.dispose();
        pick.dispose();
        resolve(chosen);
      }),
    ];
    pick.show();
  });
}
