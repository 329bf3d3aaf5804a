// A browser page for unit tests of the webview controllers: one happy-dom Window per test process, whose DOM
// globals (document, window, HTMLElement, customElements, KeyboardEvent, requestAnimationFrame, …) are put on
// globalThis for a describe block and taken off after it, so the other unit files keep running in plain Node.
//
// Why one Window per process (shared by every test file) and not one per test: the vscode-elements (Lit) classes are defined once, when their
// module is first loaded, as subclasses of that moment's HTMLElement and registered in that moment's
// customElements; a second Window would have neither. Each test starts from an empty body instead.
//
// Webview modules must be loaded while the globals are installed (vscode-elements registers its elements on load),
// so tests load them with `await import()` inside `before()`: esbuild keeps such a module unevaluated until then.
import { Window } from 'happy-dom';

/**
 * Every test file is its own bundle with its own copy of this module, while vscode-elements is loaded once per
 * process: the page is kept on globalThis under a registered symbol so that all files share it.
 */
const PAGE = Symbol.for('nocoflo.test.webviewPage');
const shared = globalThis as unknown as { [PAGE]?: Window };

/** Timers, URL, crypto, AbortController, … stay Node's: the code under test and mocha share them. */
const KEEP_NODE = new Set(['undefined', 'NaN', 'Infinity', 'globalThis', 'global', 'constructor', 'console', 'process']);
/** …but these DOM classes must be the page's, or events built by elements would not dispatch on its nodes. */
const TAKE_PAGE = new Set(['Event', 'CustomEvent', 'EventTarget', 'MessageEvent', 'navigator']);

function window(): Window {
  let page = shared[PAGE];
  if (!page) {
    page = shared[PAGE] = new Window({ url: 'https://nocoflo.test/webview', width: 1200, height: 800 });
    addElementInternals(page);
    addPopover(page);
    // As panelHtml.ts writes the page: vscode-icon looks for this link, and warns (inspecting itself) without it.
    const codicons = page.document.createElement('link');
    codicons.rel = 'stylesheet';
    codicons.id = 'vscode-codicon-stylesheet';
    codicons.href = 'codicon.css';
    page.document.head.append(codicons);
  }
  return page;
}

/**
 * happy-dom has no ElementInternals, which vscode-elements' form fields (textfield, select, checkbox) take in their
 * constructor to join a <form>. Our views put none in a form, so a stand-in that keeps the validity it is told is
 * enough; what it leaves out (form submission, :invalid styling) no test here looks at.
 */
function addElementInternals(w: Window): void {
  const proto = w.HTMLElement.prototype as unknown as { attachInternals?: () => unknown };
  if (proto.attachInternals) return;
  proto.attachInternals = function attachInternals() {
    let validity = { valid: true };
    let message = '';
    return {
      form: null,
      labels: [],
      states: new Set<string>(),
      willValidate: true,
      get validity() {
        return validity;
      },
      get validationMessage() {
        return message;
      },
      setFormValue: () => undefined,
      setValidity(flags: Record<string, boolean> = {}, text = '') {
        validity = { ...flags, valid: !Object.values(flags).some(Boolean) };
        message = text;
      },
      checkValidity: () => validity.valid,
      reportValidity: () => validity.valid,
    };
  };
}

/**
 * Installs the page's globals before the block's tests and removes them after; empties the body before each test
 * (and closes what a previous test left open). Returns the page, for its classes (`page().KeyboardEvent`).
 */
export function useWebviewDom(): () => Window {
  const saved = new Map<string, PropertyDescriptor | undefined>();
  // An element that throws while it renders (a browser API happy-dom lacks) does so in a promise nobody awaits:
  // such a failure fails the test instead of passing by as a warning.
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  before(() => {
    process.on('unhandledRejection', onRejection);
    const w = window();
    for (const key of Object.getOwnPropertyNames(w)) {
      if (KEEP_NODE.has(key)) continue;
      const mine = Object.getOwnPropertyDescriptor(globalThis, key);
      if (mine && !TAKE_PAGE.has(key)) continue;
      const theirs = Object.getOwnPropertyDescriptor(w, key)!;
      saved.set(key, mine);
      Object.defineProperty(globalThis, key, { ...theirs, configurable: true });
    }
  });
  beforeEach(() => {
    const root = window().document.createElement('div');
    root.id = 'nocoflo-root';
    window().document.body.replaceChildren(root);
  });
  afterEach(() => {
    const failed = failures.splice(0);
    if (failed.length > 0) throw failed[0] instanceof Error ? failed[0] : new Error(`unhandled rejection: ${String(failed[0])}`);
  });
  after(() => {
    process.off('unhandledRejection', onRejection);
    window().document.body.replaceChildren();
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else delete (globalThis as Record<string, unknown>)[key];
    }
    saved.clear();
  });
  return window;
}

/**
 * happy-dom has no Popover API either; vscode-single-select shows its list with showPopover(). The stand-in only
 * records whether the popover is shown: where a list would be drawn is layout, which no test here can see.
 */
function addPopover(w: Window): void {
  const proto = w.HTMLElement.prototype as unknown as Record<string, unknown>;
  if (typeof proto.showPopover === 'function') return;
  proto.showPopover = function showPopover(this: HTMLElement) {
    this.toggleAttribute('data-popover-open', true);
  };
  proto.hidePopover = function hidePopover(this: HTMLElement) {
    this.removeAttribute('data-popover-open');
  };
  proto.togglePopover = function togglePopover(this: HTMLElement) {
    return this.toggleAttribute('data-popover-open');
  };
}

/** happy-dom does no layout: gives `element` the client size a browser would, for code that reads it. */
export function giveSize(element: Element, width: number, height: number): void {
  Object.defineProperty(element, 'clientWidth', { value: width, configurable: true });
  Object.defineProperty(element, 'clientHeight', { value: height, configurable: true });
}

/**
 * Lets queued microtasks, timers of `ms` and animation frames run (the page's and Node's), and elements render.
 * A browser fires `slotchange` when a slot first renders with nodes assigned (how vscode-single-select learns its
 * options); happy-dom fires it only for nodes added later, so settling announces each newly filled slot once.
 */
export async function settle(ms = 0): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await window().happyDOM.waitUntilComplete();
  if (announceSlots(window().document.body as unknown as ParentNode)) await window().happyDOM.waitUntilComplete();
}

const announced = new WeakSet<object>();

function announceSlots(root: ParentNode): boolean {
  let any = false;
  for (const host of Array.from(root.querySelectorAll('*'))) {
    const shadow = host.shadowRoot;
    if (!shadow) continue;
    for (const slot of Array.from(shadow.querySelectorAll('slot'))) {
      if (announced.has(slot) || slot.assignedNodes().length === 0) continue;
      announced.add(slot);
      slot.dispatchEvent(new (window().Event)('slotchange', { bubbles: true }) as unknown as Event);
      any = true;
    }
    if (announceSlots(shadow)) any = true;
  }
  return any;
}

/** A key press as the browser delivers it: keydown on `target`, bubbling and cancelable. */
export function press(target: Element, key: string, modifiers: { ctrlKey?: boolean; shiftKey?: boolean; metaKey?: boolean; altKey?: boolean } = {}): KeyboardEvent {
  const event = new (window().KeyboardEvent)('keydown', { key, bubbles: true, cancelable: true, composed: true, ...modifiers });
  target.dispatchEvent(event as unknown as Event);
  return event as unknown as KeyboardEvent;
}

/** A DOM event of `type` on `target` (input, change, click, …), bubbling. */
export function fire(target: Element, type: string): void {
  target.dispatchEvent(new (window().Event)(type, { bubbles: true, composed: true }) as unknown as Event);
}
