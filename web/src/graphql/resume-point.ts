// Feed positions are decimal integers (a Postgres bigint).
const CURSOR = /^\d{1,19}$/;

/**
 * The urql operation context of a subscription that LiveStream may resume: its document takes an
 * `$after: String` variable and selects `cursor` on its root field, as `messageUpdated` and
 * `conversationUpdated` allow.
 */
export const RESUMABLE = { resumable: true } as const;

/** The operation context of a subscription whose first event is always the whole state (presence). */
export const WHOLE_STATE = { complete: true } as const;

/** The `cursor` of an event: on the subscription's one root field, when it selected one. */
export function cursorOf(result: { data?: unknown }): string | undefined {
  const data = result.data;
  if (!data || typeof data !== 'object') return undefined;
  const [root] = Object.values(data);
  const cursor = root && typeof root === 'object' ? (root as { cursor?: unknown }).cursor : undefined;
  return typeof cursor === 'string' && CURSOR.test(cursor) ? cursor : undefined;
}

/**
 * Whether `a` is further on in the feed than `b`. Both subscriptions draw from one sequence, so any
 * two cursors compare; as numbers, not text ("100" is after "99").
 */
export function isAfter(a: string, b: string): boolean {
  return BigInt(a) > BigInt(b);
}

/** The subscription itself failed (an error instead of an event, e.g. CURSOR_EXPIRED), rather than one event carrying a field error. */
export function isFailure(result: { errors?: readonly unknown[]; data?: unknown }): boolean {
  return (result.errors?.length ?? 0) > 0 && result.data == null;
}

/**
 * How far one subscription has got in the change feed: the cursor of the newest event passed on to
 * the window. Sending the subscription again with `after` set to it gets exactly what came later:
 * the server replays from its change tables, then goes on live, with no gap and no repeat.
 */
export class ResumePoint {
  private newest: string | undefined;

  /** Undefined before the first event: then there is nothing to resume from. */
  get cursor(): string | undefined {
    return this.newest;
  }

  /**
   * Takes the cursor of an event about to be passed on. False when the event is not past the
   * newest one already passed on: a repeat, which must not be applied again (see LiveStream).
   */
  advance(cursor: string): boolean {
    if (this.newest !== undefined && !isAfter(cursor, this.newest)) return false;
    this.newest = cursor;
    return true;
  }

  /** Starts over: after CURSOR_EXPIRED the subscription is sent afresh, from now. */
  forget(): void {
    this.newest = undefined;
  }

  /** The variables to send the subscription with: `after` the newest cursor, once there is one. */
  variables(base: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    return this.newest === undefined ? base : { ...base, after: this.newest };
  }
}
