import type { Store } from '../contract.ts';

/** How an adapter's test file hands the suite a fresh, empty store. */
export interface StoreHarness {
  name: string;
  open(): Promise<Store>;
  /** Another store on the database of the store `open` returned last, standing for another
   * process (cross-process tests). Optional: tests that need it skip without it. The test closes
   * what it opens. */
  openPeer?(): Promise<Store>;
}

/**
 * What each area's tests see. `store` is read inside a test, never while tests are registered:
 * it is the store opened for the current test by the suite's `beforeEach`.
 */
export interface ConformanceContext {
  readonly store: Store;
}
