// Context menus through vscode-elements' <vscode-context-menu>, placed at a point and removed when closed.

export interface MenuItem {
  label: string;
  keybinding?: string;
  run(): void;
}

export type MenuEntry = MenuItem | 'separator';

let current: HTMLElement | undefined;

export function showMenu(at: { x: number; y: number }, entries: MenuEntry[], onClose?: () => void): void {
  closeMenu();
  const menu = document.createElement('vscode-context-menu');
  menu.classList.add('popup-menu');
  const items = entries.filter((e, i, all) => !(e === 'separator' && (i === 0 || all[i - 1] === 'separator' || i === all.length - 1)));
  const actions = new Map<string, () => void>();
  menu.data = items.map((entry, index) => {
    if (entry === 'separator') return { separator: true };
    actions.set(String(index), entry.run);
    return { label: entry.label, value: String(index), ...(entry.keybinding ? { keybinding: entry.keybinding } : {}) };
  });
  menu.addEventListener('vsc-context-menu-select', (e) => {
    const run = actions.get(e.detail.value);
    closeMenu();
    onClose?.();
    run?.();
  });
  document.body.append(menu);
  menu.style.left = `${Math.min(at.x, window.innerWidth - 260)}px`;
  menu.style.top = `${at.y}px`;
  menu.show = true;
  current = menu;
  // The element hides itself on outside clicks and Escape; remove it from the page when it does.
  const observer = new MutationObserver(() => {
    if (!menu.show) {
      observer.disconnect();
      if (current === menu) closeMenu();
      onClose?.();
    }
  });
  observer.observe(menu, { attributes: true });
  requestAnimationFrame(() => {
    if (menu.isConnected && menu.getBoundingClientRect().bottom > window.innerHeight) menu.style.top = `${Math.max(0, window.innerHeight - menu.getBoundingClientRect().height - 4)}px`;
    menu.focus();
  });
}

export function closeMenu(): void {
  current?.remove();
  current = undefined;
}
