/**
 * A job run every `intervalMs`, never two at once; `stop()` waits for a run in flight and is safe
 * before `start()` and twice. Errors go to `onError`, and the next run still happens.
 */
export class Periodic {
  private readonly run: () => Promise<void>;
  private readonly intervalMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private running = false;

  constructor(run: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void) {
    this.run = run;
    this.intervalMs = intervalMs;
    this.onError = onError;
  }

  start(options: { immediately?: boolean } = {}): void {
    if (this.running) return;
    this.running = true;
    if (options.immediately) void this.runNow();
    else this.schedule();
  }

  /** Run once now (if not already running) and resolve when done. */
  runNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = this.run()
      .catch(this.onError)
      .finally(() => {
        this.inFlight = null;
        if (this.running) this.schedule();
      });
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runNow();
    }, this.intervalMs);
  }
}
