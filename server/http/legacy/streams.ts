import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import type { Principal } from '../../modules/access/principal.ts';
import { AccessWatch } from '../../modules/access/revocations.ts';
import { unixSeconds } from '../../modules/legacy/shapes.ts';
import type { EventStream } from '../sse/event-stream.ts';

/** The old stream's heartbeat: a `keepalive` event every 30 s, which its clients saw as a message. */
export const KEEPALIVE_MS = 30_000;

/** A data-only event, as the old service framed every event (its clients listen with `onmessage`). */
export const dataFrame = (data: unknown, id?: string): string => `${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;

/**
 * The open old-style event streams of this process: one timer writes every stream's keepalive
 * (like the shared Heartbeat, which keeps writing its invisible comment pings too), and each
 * stream ends when its credential is revoked or expires, as GraphQL subscriptions do. The access
 * watch runs only while streams are open.
 */
export class LegacyStreams {
  private readonly open = new Set<EventStream>();
  private timer: NodeJS.Timeout | undefined;
  private watch: Promise<AccessWatch> | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly keepaliveMs: number,
  ) {}

  /** Keeps `stream` alive until it closes, and calls `onRevoked` if its credential stops working first. */
  async add(stream: EventStream, principal: Principal, onRevoked: () => void): Promise<void> {
    this.open.add(stream);
    this.timer ??= setInterval(() => this.tick(), this.keepaliveMs).unref();
    let unwatch = () => {};
    stream.onClose(() => {
      unwatch();
      this.open.delete(stream);
      if (this.open.size) return;
      clearInterval(this.timer);
      this.timer = undefined;
      const stopping = this.watch;
      this.watch = undefined;
      void stopping?.then((w) => w.stop()).catch((err) => this.log.warn({ err }, 'stopping the access watch failed'));
    });
    const watch = await (this.watch ??= this.startWatch());
    if (!stream.closed) unwatch = watch.watch(principal, onRevoked);
  }

  private async startWatch(): Promise<AccessWatch> {
    const watch = new AccessWatch(this.db, this.log);
    try {
      await watch.start();
      return watch;
    } catch (err) {
      // The next stream tries again rather than inheriting this failure.
      this.watch = undefined;
      throw err;
    }
  }

  private tick(): void {
    const frame = dataFrame({ type: 'keepalive', timestamp: unixSeconds(new Date()) });
    for (const stream of this.open) stream.write(frame);
  }
}
