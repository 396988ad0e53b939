interface Pending<K, V> {
  keys: K[];
  waiters: { resolve: (v: V) => void; reject: (e: unknown) => void }[];
}

const batches = new WeakMap<object, Map<string, Pending<unknown, unknown>>>();

/**
 * Loads `key` together with every other key asked for under the same `name` and context in this
 * turn of the event loop: one query for a whole page's fields instead of one per row. GraphQL
 * resolves the fields of every item of a list before any of their promises settle, so waiting
 * for the next turn gathers them all. Nothing is cached: a subscription's context lives for
 * hours, and each event must read what is current.
 */
export function loadBatched<K, V>(context: object, name: string, key: K, load: (keys: K[]) => Promise<V[]>): Promise<V> {
  let byName = batches.get(context);
  if (!byName) batches.set(context, (byName = new Map()));
  let pending = byName.get(name) as Pending<K, V> | undefined;
  if (!pending) {
    const batch: Pending<K, V> = { keys: [], waiters: [] };
    pending = batch;
    byName.set(name, batch as Pending<unknown, unknown>);
    setImmediate(() => {
      byName.delete(name);
      load(batch.keys).then(
        (values) => batch.waiters.forEach((w, i) => w.resolve(values[i]!)),
        (err) => batch.waiters.forEach((w) => w.reject(err)),
      );
    });
  }
  const batch = pending;
  return new Promise<V>((resolve, reject) => {
    batch.keys.push(key);
    batch.waiters.push({ resolve, reject });
  });
}
