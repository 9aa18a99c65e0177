/**
 * The time running tasks get to finish once a worker stops. `shorten` ends it sooner: a second
 * SIGTERM gives what still runs back at once rather than wait out the first one's grace.
 */
export class GracePeriod {
  readonly over: Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private end: () => void = () => undefined;

  constructor(ms: number) {
    this.over = new Promise<void>((resolve) => {
      this.end = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  /** End it `ms` from now instead. */
  shorten(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.end, ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
