import { Observable } from '../lib/store.ts';

/**
 * Counts the times the live feed could not bring this window up to date by itself: after a break
 * in the event stream, a subscription had no cursor to resume from yet, or its resume failed (the
 * cursor had expired). Each time, the views read what they show again (useReloadOnGap).
 */
export class FeedGaps extends Observable<number> {
  constructor() {
    super(0);
  }

  report(): void {
    this.set(this.get() + 1);
  }
}
