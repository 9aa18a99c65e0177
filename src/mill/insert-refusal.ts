import {
  DependencyFailedError,
  DependencyNotFoundError,
  IdempotencyConflictError,
  type TaskmillError,
} from '../core/errors.ts';
import type { InsertResult } from '../store/contract.ts';

/** The error for an insert the store refused (nothing of it was written). */
export function insertRefusal(r: Extract<InsertResult, { ok: false }>): TaskmillError {
  switch (r.reason) {
    case 'idempotency_conflict':
      return new IdempotencyConflictError(r.key, r.existingId);
    case 'dependency_not_found':
      return new DependencyNotFoundError(r.dependsOn, r.index);
    case 'dependency_failed':
      return new DependencyFailedError(r.dependsOn, r.status, r.index);
  }
}
