/**
 * fast-check generators of cron expressions from each field's grammar (`*`, `*\/n`, a value, a
 * name, `a-b`, `a-b/n`, lists of those; an optional leading seconds field; the @macros), each
 * with the value sets the brute-force matcher reads: the text is what the product parses, the
 * sets are what the grammar says it means, worked out here and not by croner.
 */
import fc from 'fast-check';
import type { CronFields } from './cron-brute-force.ts';

interface FieldGrammar {
  min: number;
  max: number;
  /** `*\/n` counts over min … stepMax (day of week: 0 … 6, so it never names 7). */
  stepMax: number;
  /** The largest step croner takes: the number of values the field has. */
  steps: number;
  /** Names for the values from `min` on (months, days of the week). */
  names?: readonly string[];
  /** Values a test wants more often (the hours of daylight-saving changes). */
  favourite?: readonly number[];
}

/** A field of the values min … max, whose steps count over all of them. */
function grammar(min: number, max: number, more: Partial<FieldGrammar> = {}): FieldGrammar {
  return { min, max, stepMax: max, steps: max - min + 1, ...more };
}

const SECONDS = grammar(0, 59);
const MINUTES = grammar(0, 59, { favourite: [0, 15, 30, 45] });
const HOURS = grammar(0, 23, { favourite: [0, 1, 2, 3, 23] });
const DAYS_OF_MONTH = grammar(1, 31, { favourite: [1, 29, 30, 31] });
const MONTH_NAMES = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ');
const MONTHS = grammar(1, 12, { names: MONTH_NAMES });
const DAY_NAMES = 'SUN MON TUE WED THU FRI SAT'.split(' ');
// 7 is Sunday too, but croner steps over the seven days 0 … 6.
const DAYS_OF_WEEK = grammar(0, 7, { stepMax: 6, steps: 7, names: DAY_NAMES });

interface Field {
  text: string;
  values: Set<number>;
}

function range(from: number, to: number, step = 1): number[] {
  const out = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

function value(g: FieldGrammar): fc.Arbitrary<number> {
  const any = fc.integer({ min: g.min, max: g.max });
  return g.favourite ? fc.oneof(any, fc.constantFrom(...g.favourite)) : any;
}

/** A value as a number or, where the field has names, sometimes as its name in any case. */
function written(g: FieldGrammar, v: number): fc.Arbitrary<string> {
  const name = g.names?.[v - g.min];
  if (name === undefined) return fc.constant(String(v));
  return fc.constantFrom(String(v), name, name.toLowerCase());
}

const single = (g: FieldGrammar): fc.Arbitrary<Field> =>
  value(g).chain((v) => written(g, v).map((text) => ({ text, values: new Set([v]) })));

const span = (g: FieldGrammar): fc.Arbitrary<Field> =>
  fc
    .tuple(value(g), value(g), fc.option(fc.integer({ min: 1, max: g.steps }), { nil: undefined }))
    .chain(([a, b, step]) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      return fc.tuple(written(g, from), written(g, to)).map(([f, t]) => ({
        text: `${f}-${t}${step === undefined ? '' : `/${step}`}`,
        // Croner reads a range that ends in the name SUN as ending on 7 (`fri-sun`).
        values: new Set(range(from, t.toUpperCase() === 'SUN' ? 7 : to, step)),
      }));
    });

const everyNth = (g: FieldGrammar): fc.Arbitrary<Field> =>
  fc.integer({ min: 1, max: g.steps }).map((n) => ({
    text: `*/${n}`,
    values: new Set(range(g.min, g.stepMax, n)),
  }));

const list = (g: FieldGrammar): fc.Arbitrary<Field> =>
  fc.array(fc.oneof(single(g), span(g)), { minLength: 2, maxLength: 3 }).map((items) => ({
    text: items.map((i) => i.text).join(','),
    values: new Set(items.flatMap((i) => [...i.values])),
  }));

function field(g: FieldGrammar, star = 1): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: star, arbitrary: fc.constant({ text: '*', values: new Set(range(g.min, g.max)) }) },
    { weight: 1, arbitrary: everyNth(g) },
    { weight: 3, arbitrary: single(g) },
    { weight: 2, arbitrary: span(g) },
    { weight: 2, arbitrary: list(g) },
  );
}

/** A generated expression: its text and the fields it means. */
export interface GeneratedCron {
  text: string;
  fields: CronFields;
}

const oneValue = (f: Field) => !/[*/]/.test(f.text) && f.values.size === 1;

function fromFields(seconds: Field | null, [mi, h, dom, mo, dow]: Field[]): GeneratedCron {
  const s = seconds ?? { text: '0', values: new Set([0]) };
  const fields = [mi, h, dom, mo, dow] as Field[];
  const days = new Set([...(dow as Field).values].map((d) => d % 7));
  return {
    text: [...(seconds ? [seconds.text] : []), ...fields.map((f) => f.text)].join(' '),
    fields: {
      seconds: s.values,
      minutes: (mi as Field).values,
      hours: (h as Field).values,
      daysOfMonth: (dom as Field).values,
      months: (mo as Field).values,
      daysOfWeek: days,
      domStar: (dom as Field).text === '*',
      dowStar: (dow as Field).text === '*',
      fixedTime: oneValue(s) && oneValue(mi as Field) && oneValue(h as Field),
    },
  };
}

/** What docs/schedules.md says each macro means. */
const MACROS: Record<string, string[]> = {
  '@yearly': ['0', '0', '1', '1', '*'],
  '@annually': ['0', '0', '1', '1', '*'],
  '@monthly': ['0', '0', '1', '*', '*'],
  '@weekly': ['0', '0', '*', '*', '0'],
  '@daily': ['0', '0', '*', '*', '*'],
  '@midnight': ['0', '0', '*', '*', '*'],
  '@hourly': ['0', '*', '*', '*', '*'],
};
const GRAMMARS = [MINUTES, HOURS, DAYS_OF_MONTH, MONTHS, DAYS_OF_WEEK];

function macro(name: string): GeneratedCron {
  const parts = MACROS[name] as string[];
  const fields = parts.map((text, i) => {
    const g = GRAMMARS[i] as FieldGrammar;
    return { text, values: new Set(text === '*' ? range(g.min, g.max) : [Number(text)]) };
  });
  return { ...fromFields(null, fields), text: name };
}

/** Expressions of five fields, six (seconds first, kept sparse), or a macro. */
export const cronExpression: fc.Arbitrary<GeneratedCron> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        field(MINUTES),
        field(HOURS),
        field(DAYS_OF_MONTH, 3),
        field(MONTHS, 4),
        field(DAYS_OF_WEEK, 3),
      )
      .map((fields) => fromFields(null, fields)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof(single(SECONDS), span(SECONDS), list(SECONDS), everyNth(SECONDS)),
        field(MINUTES, 0),
        field(HOURS),
        field(DAYS_OF_MONTH, 3),
        field(MONTHS, 4),
        field(DAYS_OF_WEEK, 3),
      )
      .map(([s, ...rest]) => fromFields(s, rest)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(MACROS)).map(macro) },
);

const STAR = (g: FieldGrammar): Field => ({ text: '*', values: new Set(range(g.min, g.max)) });

/** Fixed times of day (one second, minute and hour), mostly at the hours DST changes happen,
 * every day or on some days of the week. */
export const fixedTimeExpression: fc.Arbitrary<GeneratedCron> = fc
  .tuple(
    fc.option(single(SECONDS), { nil: null }),
    single(MINUTES),
    fc.constantFrom(0, 1, 2, 3, 23).map((h) => ({ text: String(h), values: new Set([h]) })),
    fc.oneof(fc.constant(STAR(DAYS_OF_WEEK)), span(DAYS_OF_WEEK)),
  )
  .map(([s, mi, h, dow]) =>
    fromFields(s, [mi, h, STAR(DAYS_OF_MONTH), STAR(MONTHS), dow] as Field[]),
  );
