import type { Store } from '../contract.ts';

/** How an adapter's test file hands the suite a fresh, empty store. */
export interface StoreHarness {
  name: string;
  open(): Promise<Store>;
}

/**
 * What each area's tests see. `store` is read inside a test, never while tests are registered:
 * it is the store opened for the current test by the suite's `beforeEach`.
 */
export interface ConformanceContext {
  readonly store: Store;
}
