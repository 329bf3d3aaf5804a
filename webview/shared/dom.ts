// Small DOM helpers. Styles are only ever set through CSSOM (element.style), never as attributes: the page's
// Content Security Policy allows no inline styles.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function codicon(name: string, extraClass = ''): HTMLSpanElement {
  const span = el('span', `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** A vscode-elements button with an icon and text; `secondary` for everything but the main action. */
export function button(label: string, icon: string, onClick: () => void, options: { secondary?: boolean; title?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  // The label is its own element so narrow tabs can show the icons alone (see .button-label in table.css).
  b.append(el('span', 'button-label', label));
  b.setAttribute('icon', icon);
  b.setAttribute('aria-label', label);
  b.title = options.title ?? label;
  if (options.secondary !== false) b.setAttribute('secondary', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

export function iconButton(label: string, icon: string, onClick: (event: MouseEvent) => void): HTMLElement {
  const b = document.createElement('vscode-toolbar-button');
  b.setAttribute('icon', icon);
  b.setAttribute('label', label);
  b.title = label;
  b.addEventListener('click', (e) => onClick(e as MouseEvent));
  return b;
}

export function setDisabled(element: HTMLElement, disabled: boolean): void {
  element.toggleAttribute('disabled', disabled);
}

export function debounce<A extends unknown[]>(ms: number, fn: (...args: A) => void): ((...args: A) => void) & { flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastArgs: A | undefined;
  const run = (...args: A) => {
    lastArgs = args;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  return Object.assign(run, {
    flush: () => {
      if (timer && lastArgs) {
        clearTimeout(timer);
        timer = undefined;
        fn(...lastArgs);
      }
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  });
}

/**
 * Runs `fn` at once when it has not run in the last `ms`, else once at the end of that window with the latest
 * arguments. For saving a view's state: a webview that is not retained is torn down when its tab is hidden, with no
 * event it could still save in, so a change followed at once by a tab switch (sort, then open a row in the form)
 * must already be saved; a burst (scrolling) still writes only every `ms`.
 */
export function throttle<A extends unknown[]>(ms: number, fn: (...args: A) => void, now: () => number = () => Date.now()): ((...args: A) => void) & { flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastArgs: A | undefined;
  let lastRun = -Infinity;
  const fire = () => {
    timer = undefined;
    lastRun = now();
    const args = lastArgs!;
    lastArgs = undefined;
    fn(...args);
  };
  const run = (...args: A) => {
    lastArgs = args;
    if (timer) return;
    const wait = lastRun + ms - now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  return Object.assign(run, {
    flush: () => {
      if (!timer) return;
      clearTimeout(timer);
      fire();
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      lastArgs = undefined;
    },
  });
}

/** Printable single characters start editing a cell, like in a spreadsheet. */
export function isPrintableKey(e: KeyboardEvent): boolean {
  return e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const primaryModifier = (e: KeyboardEvent | MouseEvent): boolean => (isMac ? e.metaKey : e.ctrlKey);

/**
 * Focuses `target` when this webview has the focus, now or once it gets it. A webview that took the focus while it
 * was not the one in use (started again in the background) pulled it from the sidebar or a picker the user was in.
 */
export function focusWhenShown(target: { focus(): void }): void {
  if (document.hasFocus()) return target.focus();
  window.addEventListener('focus', () => {
    if (document.activeElement === null || document.activeElement === document.body) target.focus();
  }, { once: true });
}
