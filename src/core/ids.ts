import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 ids: time-ordered, so ordering by id within a priority level and run time is FIFO.
 * Within one millisecond a 12-bit counter in `rand_a` keeps ids made by this process increasing.
 */
let lastMs = 0;
let counter = 0;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function random(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidv7(now: number = Date.now()): string {
  let ms = now;
  if (ms <= lastMs) {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // Counter spent within this millisecond: borrow the next one rather than repeat an id.
      ms = lastMs + 1;
      counter = 0;
    }
  } else {
    counter = random(2).readUInt16BE(0) & 0x3ff;
  }
  lastMs = ms;
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((counter >> 8) & 0x0f);
  b[7] = counter & 0xff;
  random(8).copy(b, 8);
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += hex[b[i] ?? 0];
  }
  return s;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
