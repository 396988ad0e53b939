/**
 * Housekeeping that every server process runs on a timer: at start, then every `everyMs`. A round
 * still running is joined rather than started twice, a failed one answers `failed` (which logs it)
 * and is tried again at the next, and `stop` waits for the round in flight. (A few lines; a job
 * library would add a store.)
 */
export abstract class Periodic<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(private readonly everyMs: number) {}

  /** One round of the work. */
  protected abstract round(): Promise<T>;
  /** What a failed round answers, once it has said why. */
  protected abstract failed(err: unknown): T;

  start(): void {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
    void this.run();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a round now (or joins the one running). */
  protected run(): Promise<T> {
    this.running ??= this.round()
      .catch((err: unknown) => this.failed(err))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

/**
 * Runs `step` (which deletes at most `batch` rows and says how many went) until it deletes fewer:
 * housekeeping as many short statements, so writers never wait behind one long delete.
 */
export async function inBatches(batch: number, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batch) return total;
  }
}
