// The message strip under a view's toolbar: one message at a time (an error, a warning, a note, a success) with its own
// buttons and a dismiss button; successes may hide themselves. Shared by the grid and the form. Successes and notes
// are marked `floating`: a view may lay them over its content (the grid does, over its header row) so that a
// passing "Saved 3 changes" does not push the rows down and back up; errors and warnings stay in the flow, since
// they last until read and must not hide what they are about.
import './messageStrip.css';
import { codicon, el } from './dom';

export type StripKind = 'error' | 'warning' | 'info' | 'success';

export class MessageStrip {
  readonly element = el('div', 'message-strip');
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.element.setAttribute('role', 'status');
    this.element.hidden = true;
  }

  show(kind: StripKind, message: string, actions: { label: string; run(): void }[] = [], autoHideMs?: number): void {
    clearTimeout(this.timer);
    this.element.className = `message-strip ${kind}`;
    this.element.classList.toggle('floating', kind === 'success' || kind === 'info');
    this.element.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const buttons = actions.map(({ label, run }) => {
      const b = document.createElement('vscode-button');
      b.setAttribute('secondary', '');
      b.textContent = label;
      b.addEventListener('click', run);
      return b;
    });
    const close = document.createElement('vscode-toolbar-button');
    close.setAttribute('icon', 'close');
    close.setAttribute('label', 'Dismiss');
    close.addEventListener('click', () => this.hide());
    this.element.replaceChildren(codicon(kind === 'error' ? 'error' : kind === 'warning' ? 'warning' : kind === 'success' ? 'check' : 'info'), el('span', 'strip-text', message), ...buttons, close);
    this.element.hidden = false;
    if (autoHideMs) this.timer = setTimeout(() => this.hide(), autoHideMs);
  }

  hide(): void {
    this.element.hidden = true;
  }
}
