// The NOTIFY channel and payload written by hatch_number_feed() (sql/change_feed.sql): the newest
// position it has given, as decimal text. A notification only says "the feed has reached this
// position": the bridge reads the changes themselves from the tables.
export const FEED_CHANNEL = 'hatch_feed';

/** The position a notification carries, or undefined when it is not one. */
export function feedPosition(payload: string): bigint | undefined {
  return /^\d{1,19}$/.test(payload) ? BigInt(payload) : undefined;
}
