/**
 * How a push delivery is signed, and how a unit checks it. The server signs the exact body it
 * sends with the unit's push secret (answered once at registration):
 *
 *   Taskmill-Signature: t=<ms since the epoch>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
 *
 * A unit recomputes the HMAC over the raw body it received, compares in constant time, refuses a
 * timestamp more than five minutes away from its clock (a captured delivery replayed later), and
 * refuses a delivery id it has seen (one replayed within those minutes). The scheme is Stripe's
 * webhook signature, so the libraries people already have for it read it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../core/errors.ts';
import { checkOptions, is, optionSpec, valueRule } from '../../core/options-check.ts';

/** The request header that carries the signature of a push delivery. */
export const PUSH_SIGNATURE_HEADER = 'taskmill-signature';
/** The most a delivery's timestamp may differ from the unit's clock. */
export const PUSH_TOLERANCE_MS = 5 * 60_000;

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

/** The header value for `body`, signed at `t`. */
export function signPush(secret: string, body: string, t: number): string {
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type PushCheck =
  | { ok: true; t: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'stale' | 'replayed' };

export interface VerifyPushParams {
  /** The unit's `pushSecret`, as its registration answered it. */
  secret: string;
  /** The delivery's `Taskmill-Signature` header (undefined when it had none). */
  header: string | undefined;
  /** The raw body, exactly as received. */
  body: string;
  /** The unit's clock (ms since the epoch). */
  now: number;
  /** The delivery's `Taskmill-Delivery` header (also `deliveryId` in the body). */
  deliveryId: string;
  /** The delivery ids seen lately; a new one joins it. */
  seen: Set<string>;
  /** How far the signature's time may be from `now`; default five minutes. */
  toleranceMs?: number;
}

const VERIFY_SPEC = optionSpec<VerifyPushParams>({
  secret: is.string,
  header: valueRule('a string or undefined', (v) => v === undefined || typeof v === 'string'),
  body: is.string,
  now: is.number(0),
  deliveryId: is.string,
  seen: valueRule('a Set of delivery ids', (v) => v instanceof Set),
  toleranceMs: is.ms(1),
});
const VERIFY_REQUIRED = ['secret', 'body', 'now', 'deliveryId', 'seen'] as const;

/**
 * What a unit does with a delivery before acting on it: the signature must be the server's for
 * this exact body, within the tolerance of `now`, and `deliveryId` must be new to `seen` (which
 * it then joins; the caller may forget ids older than the tolerance). Exported for units written
 * in Node.js; its options are checked like every other (OPTIONS_INVALID).
 */
export function verifyPush(p: VerifyPushParams): PushCheck {
  checkOptions(VERIFY_SPEC, p, 'verifyPush');
  for (const key of VERIFY_REQUIRED) {
    if (p[key] === undefined) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        `verifyPush needs \`${key}\`; see VerifyPushParams.`,
        [{ path: key, message: 'required' }],
      );
    }
  }
  const parts = new Map<string, string>();
  for (const part of (p.header ?? '').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(given)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(hmac(p.secret, t, p.body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (Math.abs(p.now - t) > (p.toleranceMs ?? PUSH_TOLERANCE_MS)) {
    return { ok: false, reason: 'stale' };
  }
  if (p.seen.has(p.deliveryId)) return { ok: false, reason: 'replayed' };
  p.seen.add(p.deliveryId);
  return { ok: true, t };
}
