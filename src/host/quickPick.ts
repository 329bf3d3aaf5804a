import * as vscode from 'vscode';

export interface PickOptions<T extends vscode.QuickPickItem> {
  title: string;
  placeholder?: string;
  /** The item highlighted when the picker opens (the current choice), instead of the first. */
  active?: T;
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
    const subscriptions = [
      pick.onDidAccept(() => {
        chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const s of subscriptions) s.dispose();
        pick.dispose();
        resolve(chosen);
      }),
    ];
    pick.show();
  });
}
