// One load-generator process: opens subscribers with the official graphql-sse client (or, in `ws`
// mode, the official graphql-ws client), one client (one connection) each, and records, for every
// event, how long after its send it arrived. Started by the benchmark in several copies, so the
// server is measured and not the client; it reports its own CPU time so the reader can check that.
// Given a `localAddress` (127.0.0.2, …), its connections leave from it, so that many generators
// together are not limited by one address's client ports.
import { wsClient } from '../testing/graphql-ws.ts';
import { sseClient } from '../testing/sse.ts';

export type Mode = 'distinct' | 'single' | 'ws';

export type Command =
  | { cmd: 'open'; url: string; mode: Mode; count: number; headers: Record<string, string>; query: string; localAddress?: string }
  | { cmd: 'collect'; run: string; expected: number }
  | { cmd: 'close' };

export interface Collected {
  /** Milliseconds from send to arrival, one per event received. */
  latencies: number[];
  lost: number;
  doubled: number;
  cpuMs: number;
  /** Subscriptions that failed to start and were opened again (a full accept queue, a timeout). */
  retries: number;
}

/** What a subscriber needs of either client: subscribe, with the sink both take. */
interface AnyClient {
  subscribe<T>(payload: { query: string }, sink: { next(value: { data?: T | null; errors?: unknown }): void; error(e: unknown): void; complete(): void }): () => void;
}

/** One client, from `localAddress` when given. */
function clientFor(command: Extract<Command, { cmd: 'open' }>): AnyClient {
  const { url, headers, mode, localAddress } = command;
  return (mode === 'ws' ? wsClient(url, { headers, localAddress }).client : sseClient({ url, headers, localAddress }, mode)) as AnyClient;
}

interface Subscriber {
  client: AnyClient;
  dispose(): void;
  /** Sequence numbers of this run's events seen, for counting the lost and the doubled. */
  seen: Map<string, Set<number>>;
  doubled: number;
  live: boolean;
}

const subscribers: Subscriber[] = [];
let latencies: number[] = [];
let retries = 0;
let completed = 0;
const MAX_RETRIES = 5;
let cpuBefore = process.cpuUsage();
const reply = (message: unknown) => process.send!(message);

function open(command: Extract<Command, { cmd: 'open' }>, attempt = 0): Subscriber {
  const client = clientFor(command);
  const sub: Subscriber = { client, dispose: () => {}, seen: new Map(), doubled: 0, live: false };
  sub.dispose = client.subscribe<{ messageUpdated: { action: string; message: { body: string } | null } }>(
    { query: command.query },
    {
      next: ({ data, errors }) => {
        const at = Date.now();
        if (errors) reply({ type: 'error', error: JSON.stringify(errors) });
        sub.live = true;
        const body = data?.messageUpdated.action === 'INSERT' ? data.messageUpdated.message?.body : undefined;
        // Bodies are "<run> <seq> <sent at, ms since the epoch>"; warm-up bodies are not counted.
        const [run, seq, sentAt] = body?.split(' ') ?? [];
        if (!run || run === 'warm-up') return;
        let seen = sub.seen.get(run);
        if (!seen) sub.seen.set(run, (seen = new Set()));
        if (seen.has(Number(seq))) sub.doubled++;
        seen.add(Number(seq));
        latencies.push(at - Number(sentAt));
      },
      error: (e) => {
        // One that never started is opened again, a few times: on a busy machine the server's
        // accept queue can be full for a moment. One that fails once running is an error.
        if (!sub.live && attempt < MAX_RETRIES) {
          retries++;
          setTimeout(() => {
            const again = open(command, attempt + 1);
            subscribers[subscribers.indexOf(sub)] = again;
          }, 1000 * (attempt + 1));
        } else reply({ type: 'error', error: String(e) });
      },
      complete: () => void completed++,
    },
  );
  return sub;
}

process.on('message', async (command: Command) => {
  if (command.cmd === 'open') {
    // In steps (1,000 a second from each generator), so the server's accept queue keeps up. A
    // single-connection subscriber makes three requests (reserve, open, subscribe), so a third as fast.
    const pause = command.mode === 'single' ? 150 : 50;
    for (let i = 0; i < command.count; i++) {
      subscribers.push(open(command));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, pause));
    }
    reply({ type: 'opened' });
  } else if (command.cmd === 'collect') {
    let lost = 0;
    let doubled = 0;
    for (const s of subscribers) {
      lost += command.expected - (s.seen.get(command.run)?.size ?? 0);
      doubled += s.doubled;
      s.doubled = 0;
    }
    const cpu = process.cpuUsage(cpuBefore);
    cpuBefore = process.cpuUsage();
    const collected: Collected = { latencies, lost, doubled, cpuMs: (cpu.user + cpu.system) / 1000, retries };
    latencies = [];
    reply({ type: 'collected', collected });
  } else {
    for (const s of subscribers) s.dispose();
    subscribers.length = 0;
    reply({ type: 'closed' });
  }
});

// The parent asks how many are live (have had an event) while it warms up.
setInterval(() => reply({ type: 'live', live: subscribers.filter((s) => s.live).length, completed, retries }), 250).unref();
reply({ type: 'ready' });
