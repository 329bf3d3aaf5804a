import './dialogs.css';
import { el } from './dom';

// A modal dialog inside the webview (full value view, conflicts, change preview, column chooser). It traps
// focus loosely: Escape closes it and focus returns to where it was.

export interface DialogButton {
  label: string;
  primary?: boolean;
  /** Return false to keep the dialog open. */
  run?(): void | boolean;
}

export function showDialog(title: string, body: HTMLElement | string, buttons: DialogButton[] = [{ label: 'Close', primary: true }]): { close(): void } {
  const previous = document.activeElement as HTMLElement | null;
  const backdrop = el('div', 'dialog-backdrop');
  const dialog = el('div', 'dialog');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', title);
  dialog.tabIndex = -1;
  const heading = el('div', 'dialog-title', title);
  const content = el('div', 'dialog-body');
  if (typeof body === 'string') content.append(el('pre', 'dialog-text', body));
  else content.append(body);
  const footer = el('div', 'dialog-buttons');
  const close = () => {
    backdrop.remove();
    previous?.focus({ preventScroll: true });
  };
  for (const b of buttons) {
    const button = document.createElement('vscode-button');
    button.textContent = b.label;
    if (!b.primary) button.setAttribute('secondary', '');
    button.addEventListener('click', () => {
      if (b.run?.() !== false) close();
    });
    footer.append(button);
  }
  dialog.append(heading, content, footer);
  backdrop.append(dialog);
  backdrop.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  backdrop.addEventListener('mousedown', (e) => {
    if (e.target === backdrop) close();
  });
  document.body.append(backdrop);
  requestAnimationFrame(() => (footer.querySelector('vscode-button:last-child') as HTMLElement | null)?.focus() ?? dialog.focus());
  return { close };
}
