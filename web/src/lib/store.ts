import { useSyncExternalStore } from 'react';

/**
 * The smallest observable value React can read with useSyncExternalStore. The inbox's stores build
 * on it: each keeps its state immutable and replaces it, so a snapshot compares by identity.
 */
export class Observable<T> {
  private listeners = new Set<() => void>();

  constructor(private state: T) {}

  get = (): T => this.state;

  set(next: T): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
}

export function useObservable<T>(source: Observable<T>): T {
  return useSyncExternalStore(source.subscribe, source.get, source.get);
}
