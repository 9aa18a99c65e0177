/** Thrown inside an adapter's transaction to roll back a schedule write and answer with the
 * contract's typed outcome instead (both adapters catch them the same way). */
import type { ScheduleFireResult, ScheduleSaveResult } from './schedule-contract.ts';

export class FireRefused extends Error {
  readonly result: ScheduleFireResult & { ok: false };
  constructor(reason: (ScheduleFireResult & { ok: false })['reason']) {
    super(reason);
    this.result = { ok: false, reason };
  }
}

export class SaveRefused extends Error {
  readonly result: ScheduleSaveResult & { ok: false };
  constructor(result: ScheduleSaveResult & { ok: false }) {
    super(result.reason);
    this.result = result;
  }
}
