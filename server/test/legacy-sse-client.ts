/**
 * A plain server-sent-events reader over fetch, as a script written against the old service would
 * read `/api/events`: it follows the SSE format (id, event and data fields, comment lines) and
 * knows nothing of Hatch.
 */
export interface SseEvent {
  /** The SSE `event` field; absent for the old service's bare `data:` events. */
  event?: string;
  id?: string;
  data: any;
}

export interface SseReader {
  status: number;
  headers: Headers;
  /** The body of a refusal (not an event stream), parsed. */
  refusal?: any;
  /** Every event so far, in arrival order (comment lines are not events). */
  events: SseEvent[];
  /** True once the server ended the stream. */
  ended: () => boolean;
  until(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

export async function readEvents(url: string, headers: Record<string, string>): Promise<SseReader> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  let done = false;
  const wakers = new Set<() => void>();
  const wake = () => wakers.forEach((w) => w());
  if (res.ok && res.body) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: Partial<SseEvent> & { lines: string[] } = { lines: [] };
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || line === '') continue;
              const [field, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (field === 'data') event.lines.push(value);
              else if (field === 'id') event.id = value;
              else if (field === 'event') event.event = value;
            }
            if (event.lines.length) events.push({ id: event.id, event: event.event, data: JSON.parse(event.lines.join('\n')) });
          }
          wake();
        }
      } catch {
        // aborted by close()
      } finally {
        done = true;
        wake();
      }
    })();
  } else {
    done = true;
  }
  const refusal = res.ok ? undefined : await res.json().catch(() => undefined);
  return {
    status: res.status,
    headers: res.headers,
    refusal,
    events,
    ended: () => done,
    until(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(events)) finish(() => resolve(events));
          else if (done) finish(() => reject(new Error(`stream ended with ${events.length} events: ${JSON.stringify(events.slice(-5))}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out with ${events.length} events: ${JSON.stringify(events.slice(-5))}`))), timeoutMs);
        const finish = (then: () => void) => {
          clearTimeout(timer);
          wakers.delete(check);
          then();
        };
        wakers.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
