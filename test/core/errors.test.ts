import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/core/error-codes.ts';
import {
  ClosedError,
  IdempotencyConflictError,
  LeaseLostError,
  NonRetryableError,
  StoreError,
  TaskmillError,
  TaskNotFoundError,
  UnknownTaskTypeError,
  ValidationError,
} from '../../src/core/errors.ts';

describe('error-code registry', () => {
  it.each(Object.entries(ERROR_CODES))('%s has an HTTP status and a summary', (code, entry) => {
    expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(entry.httpStatus).toBeGreaterThanOrEqual(400);
    expect(entry.httpStatus).toBeLessThan(600);
    expect(entry.summary.length).toBeGreaterThan(10);
  });
});

describe('TaskmillError', () => {
  it('takes its HTTP status from the registry', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(new TaskmillError(code, 'x').httpStatus).toBe(ERROR_CODES[code].httpStatus);
    }
  });

  it('keeps the cause and serialises to code, message and details', () => {
    const cause = new Error('disk full');
    const e = new StoreError('STORE_QUERY_FAILED', 'claim-tasks failed', {
      details: { statement: 'claim-tasks' },
      cause,
    });
    expect(e).toBeInstanceOf(TaskmillError);
    expect(e.name).toBe('StoreError');
    expect(e.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      code: 'STORE_QUERY_FAILED',
      message: 'claim-tasks failed',
      details: { statement: 'claim-tasks' },
    });
  });

  it('has a subclass per family with a code and details a caller can act on', () => {
    const cases: [TaskmillError, ErrorCode, Record<string, unknown>][] = [
      [
        new UnknownTaskTypeError('x', ['a', 'b']),
        'TASK_TYPE_UNKNOWN',
        { type: 'x', known: ['a', 'b'] },
      ],
      [new TaskNotFoundError('id1'), 'TASK_NOT_FOUND', { id: 'id1' }],
      [
        new IdempotencyConflictError('k', 'id2'),
        'IDEMPOTENCY_CONFLICT',
        { idempotencyKey: 'k', existingId: 'id2' },
      ],
      [new LeaseLostError('id3', 'result'), 'LEASE_LOST', { taskId: 'id3', what: 'result' }],
      [new ClosedError('worker'), 'MILL_CLOSED', {}],
      [
        new ValidationError('OPTIONS_INVALID', 'bad', [{ path: 'p', message: 'm' }]),
        'OPTIONS_INVALID',
        { issues: [{ path: 'p', message: 'm' }] },
      ],
    ];
    for (const [error, code, details] of cases) {
      expect(error.code).toBe(code);
      expect(error.details).toEqual(details);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new UnknownTaskTypeError('x', []).message).toContain('no task types are defined');
  });
});

describe('NonRetryableError', () => {
  it('is an Error that says it is not retryable', () => {
    const cause = new Error('card declined');
    const e = new NonRetryableError('payment refused', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.retryable).toBe(false);
    expect(e.name).toBe('NonRetryableError');
    expect(e.cause).toBe(cause);
  });
});
