// The grid's keyboard: moving and extending the selection, editing, deleting, copying, and the shortcuts that work
// anywhere in the view (Ctrl+S, Ctrl+F for the quick search). docs/table-view.md lists them.
import { isPrintableKey, primaryModifier } from '../shared/dom';
import type { TableApp } from './app';
import { closeMenu } from './menus';
import { type Move, tabStep } from './model/selection';

export class GridKeyMap {
  constructor(private readonly app: TableApp) {}

  gridHasFocus(): boolean {
    return !this.app.editor.isOpen && (document.activeElement === this.app.grid.element || this.app.grid.element.contains(document.activeElement));
  }

  /** Shortcuts that work anywhere in the view. */
  onDocumentKey(e: KeyboardEvent): void {
    if (!primaryModifier(e)) return;
    const key = e.key.toLowerCase();
    if (key === 's') {
      e.preventDefault();
      if (this.app.editor.isOpen) return;
      void this.app.save();
    } else if (key === 'f' && !e.shiftKey) {
      // Find, as everywhere in VS Code: the quick search, with its text selected. The filter bar is the toolbar's.
      e.preventDefault();
      this.app.toolbar.focusSearch();
    }
  }

  onKey(e: KeyboardEvent): void {
    if (e.target !== this.app.grid.element) return;
    if (this.app.editor.isOpen) {
      this.app.editor.forwardKey(e);
      return;
    }
    const mod = primaryModifier(e);
    const moves: Record<string, Move> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right', PageUp: 'pageUp', PageDown: 'pageDown', Home: mod ? 'first' : 'rowStart', End: mod ? 'last' : 'rowEnd' };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      this.app.grid.move(mod && e.key === 'ArrowUp' ? 'first' : mod && e.key === 'ArrowDown' ? 'last' : move, e.shiftKey);
      return;
    }
    const focus = this.app.grid.selection.focus;
    switch (e.key) {
      case 'Tab':
        e.preventDefault();
        this.app.grid.setSelection({ anchor: tabStep(focus, e.shiftKey, this.app.grid.bounds()), focus: tabStep(focus, e.shiftKey, this.app.grid.bounds()) });
        return;
      case 'Enter': {
        e.preventDefault();
        const key = mod && e.shiftKey ? this.app.display.get(focus.row)?.ref?.key : undefined;
        if (mod && e.shiftKey) {
          if (key && this.app.menus.canOpenForm()) this.app.menus.openInForm(key);
        } else if (e.shiftKey) this.app.viewer.viewValue();
        else this.app.editing.startEdit(focus);
        return;
      }
      case 'F2':
        e.preventDefault();
        this.app.editing.startEdit(focus);
        return;
      case 'Delete':
        e.preventDefault();
        this.app.editing.deleteRows();
        return;
      case 'Escape':
        this.app.grid.setSelection({ anchor: focus, focus });
        this.app.strip.hide();
        closeMenu();
        return;
    }
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      const { rows, cols } = this.app.grid.bounds();
      this.app.grid.setSelection({ anchor: { row: 0, col: 0 }, focus: { row: Math.max(0, rows - 1), col: Math.max(0, cols - 1) } }, false);
      return;
    }
    if (mod && e.shiftKey && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      void this.app.clipboard.copySelection(true);
      return;
    }
    if (isPrintableKey(e) && e.key !== ' ') {
      e.preventDefault();
      this.app.editing.startEdit(focus, e.key);
    }
  }
}
