/** The coded errors of schedules that name one schedule (an invalid definition is a
 * ValidationError, see schedule-definition.ts). */
import { TaskmillError } from './errors.ts';

export class ScheduleNotFoundError extends TaskmillError {
  constructor(name: string) {
    super('SCHEDULE_NOT_FOUND', `No schedule named "${name}".`, { details: { name } });
  }
}

export class ScheduleExistsError extends TaskmillError {
  constructor(name: string) {
    super(
      'SCHEDULE_EXISTS',
      `A schedule named "${name}" exists already: change it with update, or pick another name.`,
      { details: { name } },
    );
  }
}
