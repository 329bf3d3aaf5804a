// The form's toolbar: record navigation (first, previous, position, next, last, go to row), New, Delete, Discard,
// Save, the unsaved-change count and Refresh; `update` sets what is enabled for the record shown.
import { type NavStep, positionText, stepTarget } from '../../shared/formNavigation';
import { button, el, iconButton, setDisabled } from '../shared/dom';
import type { FormApp } from './app';
import type { Shown } from './navigation';

export class FormToolbar {
  readonly element = el('div', 'toolbar');
  private readonly positionLabel = el('span', 'form-position');
  readonly goTo = document.createElement('vscode-textfield') as unknown as HTMLElement & { value: string };
  private readonly pendingLabel = el('span', 'status-pending');
  private readonly nav: Record<NavStep, HTMLElement>;
  private readonly actions: Record<'insert' | 'delete' | 'discard' | 'save', HTMLElement>;

  constructor(private readonly app: FormApp) {
    this.element.setAttribute('role', 'toolbar');
    const navGroup = el('div', 'toolbar-group nav-group');
    this.nav = {
      first: iconButton('First record', 'debug-reverse-continue', () => this.app.navigation.step('first')),
      previous: iconButton('Previous record (Page Up)', 'chevron-left', () => this.app.navigation.step('previous')),
      next: iconButton('Next record (Page Down)', 'chevron-right', () => this.app.navigation.step('next')),
      last: iconButton('Last record', 'debug-continue', () => this.app.navigation.step('last')),
    };
    for (const [step, b] of Object.entries(this.nav)) b.classList.add(`nav-${step}`);
    this.positionLabel.setAttribute('aria-live', 'polite');
    this.goTo.classList.add('go-to');
    this.goTo.setAttribute('placeholder', 'Go to row…');
    this.goTo.setAttribute('aria-label', 'Go to row number');
    this.goTo.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') this.app.navigation.goToTyped();
    });
    navGroup.append(this.nav.first, this.nav.previous, this.positionLabel, this.nav.next, this.nav.last, this.goTo);
    const editGroup = el('div', 'toolbar-group');
    this.actions = {
      insert: button('New', 'add', () => this.app.insertRecord(), { title: 'Insert a new record (defaults shown until you set values)' }),
      delete: button('Delete', 'trash', () => this.app.deleteRecord(), { title: 'Delete this record on save' }),
      discard: button('Discard', 'discard', () => this.app.discard(), { title: 'Discard all unsaved changes' }),
      save: button('Save', 'save', () => void this.app.save(), { secondary: false, title: 'Save all changes in one transaction (Ctrl+S)' }),
    };
    editGroup.append(...Object.values(this.actions));
    const endGroup = el('div', 'toolbar-group toolbar-end');
    endGroup.append(this.pendingLabel, iconButton('Refresh (re-read the record)', 'refresh', () => this.app.navigation.reload()));
    this.element.append(navGroup, editGroup, endGroup);
  }

  update(shown: Shown = this.app.navigation.current()): void {
    const count = this.app.source.displayCount;
    const total = this.app.navigation.total;
    const inList = this.app.insertIndex === undefined && !this.app.alone;
    this.positionLabel.textContent = this.app.insertIndex !== undefined ? 'new record' : this.app.alone ? 'record on its own' : count || this.app.source.started ? positionText(this.app.position, count ?? (total !== undefined ? { count: total, exact: true } : undefined)) : 'row …';
    setDisabled(this.nav.first, inList && stepTarget('first', this.app.position, total) === undefined);
    setDisabled(this.nav.previous, inList && stepTarget('previous', this.app.position, total) === undefined);
    setDisabled(this.nav.next, inList && (stepTarget('next', this.app.position, total) === undefined || shown.kind === 'empty'));
    setDisabled(this.nav.last, total === undefined || total === 0 || (inList && stepTarget('last', this.app.position, total) === undefined));
    const readOnly = this.app.readOnlyReason !== undefined;
    for (const b of Object.values(this.actions)) b.hidden = readOnly;
    setDisabled(this.actions.insert, !this.app.capabilities.insert || this.app.saver.saving);
    // A record someone else is editing cannot be marked for deletion here either (its lock says who).
    setDisabled(this.actions.delete, !this.app.capabilities.delete || this.app.saver.saving || !(shown.kind === 'insert' || (shown.kind === 'row' && shown.ref)) || this.app.view.lockNote(shown) !== undefined);
    // The user's role may leave deleting out (an editor): the disabled button says why.
    this.actions.delete.title = this.app.client.init.unavailable?.delete ?? 'Delete this record on save';
    const size = this.app.pending.size;
    setDisabled(this.actions.discard, (size === 0 && this.app.edits.drafts.size === 0) || this.app.saver.saving);
    // With only invalid drafts, Save stays clickable to say what needs fixing.
    setDisabled(this.actions.save, (size === 0 && this.app.edits.drafts.size === 0) || this.app.saver.saving);
    const label = this.actions.save.querySelector('.button-label');
    if (label) label.textContent = this.app.saver.saving ? 'Saving…' : size > 0 ? `Save (${size})` : 'Save';
    this.pendingLabel.textContent = size > 0 ? `● ${size} unsaved change${size > 1 ? 's' : ''}` : '';
    this.app.root.classList.toggle('dirty', size > 0);
  }
}
