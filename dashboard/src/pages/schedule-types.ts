/**
 * The shapes of schedules and their runs as the typed client returns them, read off the
 * client's signatures (the dashboard imports nothing but the client).
 */
import type { TaskmillClient } from '../../../src/client/types.ts';

type Schedules = TaskmillClient['schedules'];

export type Schedule = Awaited<ReturnType<Schedules['list']>>[number];
export type ScheduleRun = Awaited<ReturnType<Schedules['runs']>>[number];
