import { v7 } from 'uuid';

/**
 * UUIDv7 ids (RFC 9562): time-ordered, so ordering by id within a priority level and run time
 * is FIFO. The `uuid` package lays out the bits; two things stay here because its defaults do
 * not fit. The time comes from the caller's clock (a fake clock in tests moves ids too), and the
 * package keeps its monotonic counter only for its own `Date.now()`, so the counter for a given
 * time is kept here. And its default random source asks the platform for 16 bytes per id, about
 * six times slower than handing it bytes from a pool filled 4 KiB at a time: ids are made on
 * every submit and claim.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

function random16(): Uint8Array {
  if (poolOffset + 16 > POOL_BYTES) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return out;
}

/** The 31-bit counter `uuid` spreads over `rand_a` and the top of `rand_b`. */
const SEQ_MAX = 0x7fffffff;
let lastMs = -1;
let seq = 0;

export function uuidv7(now: number = Date.now()): string {
  const random = random16();
  if (now > lastMs) {
    lastMs = now;
    // A random start in the lower half of the counter: at least 2^30 more ids fit in this
    // millisecond before it runs out.
    seq = (((random[6] ?? 0) & 0x3f) << 24) | ((random[7] ?? 0) << 16) | ((random[8] ?? 0) << 8);
  } else if (seq >= SEQ_MAX) {
    // Counter spent within this millisecond (or the clock went back): borrow the next one
    // rather than repeat or reorder an id.
    lastMs++;
    seq = 0;
  } else {
    seq++;
  }
  return v7({ msecs: lastMs, seq, random });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Canonical lower-case UUIDs. Not `uuid`'s `validate`: it accepts upper case, which would
 * pass a check and then never match an id as taskmill stores it. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
