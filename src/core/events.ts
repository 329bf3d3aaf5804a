import type { Disposable, Event } from '../../api';

/** A minimal event emitter shaped like vscode.EventEmitter, so core code stays free of `vscode`. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => unknown>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A listener's failure must not stop the others from hearing about the change.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
