/**
 * What the submit form makes of a task type's input schema (JSON Schema as zod writes it), with
 * no React in it: which control each field gets, what it starts with (the schema's defaults),
 * and the value a filled form sends. Nothing here judges the value — the API does that and the
 * form shows its answer — except text in a JSON box that is not JSON at all, which cannot be sent.
 */

export type Schema = Readonly<Record<string, unknown>>;

export type Kind =
  | 'text'
  | 'datetime'
  | 'enum'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'list'
  | 'object'
  | 'json';

/** A field as typed so far: text for inputs, a flag for checkboxes, rows, or named fields. */
export type Draft = string | boolean | readonly Draft[] | { readonly [name: string]: Draft };

export interface FormIssue {
  path: string;
  message: string;
}

const PRIMITIVE_KINDS: readonly Kind[] = [
  'text',
  'datetime',
  'enum',
  'number',
  'integer',
  'boolean',
];

export const isSchema = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

type Primitive = string | number | boolean | null;
const isPrimitive = (v: unknown): v is Primitive =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The values an enum (or a const) offers, or null when it is not one of primitives. */
export function choicesOf(schema: Schema): readonly Primitive[] | null {
  const values = Array.isArray(schema['enum'])
    ? (schema['enum'] as unknown[])
    : 'const' in schema
      ? [schema['const']]
      : null;
  return values?.every(isPrimitive) ? values : null;
}

export function propertiesOf(schema: Schema): [string, Schema][] {
  const props = schema['properties'];
  if (!isSchema(props)) return [];
  return Object.entries(props).filter((entry): entry is [string, Schema] => isSchema(entry[1]));
}

export function requiredOf(schema: Schema): ReadonlySet<string> {
  const required = schema['required'];
  return new Set(Array.isArray(required) ? required.filter((r) => typeof r === 'string') : []);
}

export function kindOf(schema: Schema): Kind {
  if (choicesOf(schema)) return 'enum';
  const type = schema['type'];
  if (type === 'string') return schema['format'] === 'date-time' ? 'datetime' : 'text';
  if (type === 'number' || type === 'integer' || type === 'boolean') return type;
  if (type === 'array' && isSchema(schema['items'])) {
    return PRIMITIVE_KINDS.includes(kindOf(schema['items'])) ? 'list' : 'json';
  }
  // Named fields only: a map of any keys (additionalProperties as a schema) is typed as JSON.
  if (
    type === 'object' &&
    isSchema(schema['properties']) &&
    !isSchema(schema['additionalProperties'])
  ) {
    return 'object';
  }
  return 'json';
}

/** An ISO time as a datetime-local input holds it (the browser's time zone, to the second). */
export function localTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
}

/** What a field starts with: `value` (its parent's default for it), else its own default. */
export function initialDraft(schema: Schema, value: unknown = schema['default']): Draft {
  switch (kindOf(schema)) {
    case 'text':
      return typeof value === 'string' ? value : '';
    case 'datetime':
      return typeof value === 'string' ? localTime(value) : '';
    case 'enum': {
      const index = (choicesOf(schema) ?? []).indexOf(value as Primitive);
      return index < 0 ? '' : String(index);
    }
    case 'number':
    case 'integer':
      return typeof value === 'number' ? String(value) : '';
    case 'boolean':
      return value === true;
    case 'list': {
      const items = schema['items'] as Schema;
      return Array.isArray(value) ? value.map((v) => initialDraft(items, v)) : [];
    }
    case 'object': {
      const given = isSchema(value) ? value : {};
      const fields: Record<string, Draft> = {};
      for (const [name, prop] of propertiesOf(schema)) {
        fields[name] = initialDraft(prop, given[name] ?? prop['default']);
      }
      return fields;
    }
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

const join = (path: string, name: string | number) =>
  path === '' ? String(name) : `${path}.${name}`;

/**
 * The value the form sends for a field, or undefined to leave it out. An empty optional field
 * is left out (the task type's default applies); an empty required one too, so the API names it
 * missing. `issues` collects JSON boxes whose text does not parse.
 */
export function formValue(
  schema: Schema,
  draft: Draft,
  required: boolean,
  path: string,
  issues: FormIssue[],
): unknown {
  const text = typeof draft === 'string' ? draft : '';
  switch (kindOf(schema)) {
    case 'text':
      return text === '' && !required ? undefined : text;
    case 'datetime':
      return text === '' ? undefined : new Date(text).toISOString();
    case 'enum':
      return text === '' ? undefined : (choicesOf(schema) ?? [])[Number(text)];
    case 'number':
    case 'integer':
      return text.trim() === '' ? undefined : Number(text);
    case 'boolean':
      return draft === true;
    case 'list': {
      const rows = Array.isArray(draft) ? (draft as readonly Draft[]) : [];
      if (rows.length === 0 && !required) return undefined;
      const items = schema['items'] as Schema;
      return rows.map((row, i) => formValue(items, row, true, join(path, i), issues) ?? null);
    }
    case 'object': {
      // An optional group left as it started (its defaults) is not sent: filling in its
      // checkboxes' defaults alone would send a half group the API then refuses.
      if (!required && JSON.stringify(draft) === JSON.stringify(initialDraft(schema))) {
        return undefined;
      }
      const fields = isSchema(draft) ? (draft as Record<string, Draft>) : {};
      const need = requiredOf(schema);
      const out: Record<string, unknown> = {};
      for (const [name, prop] of propertiesOf(schema)) {
        const field = fields[name];
        if (field === undefined) continue;
        const value = formValue(prop, field, need.has(name), join(path, name), issues);
        if (value !== undefined) out[name] = value;
      }
      return Object.keys(out).length === 0 && !required ? undefined : out;
    }
    case 'json': {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        issues.push({ path, message: `not valid JSON: ${(error as Error).message}` });
        return undefined;
      }
    }
  }
}

/** An HTML pattern for a schema's `pattern`, or undefined when the browser's regular
 * expressions (the `v` flag HTML uses) cannot read it — it is only a hint, the API checks. */
export function htmlPattern(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return undefined;
  // HTML anchors the pattern itself; the schema's own anchors are then redundant but harmless.
  try {
    new RegExp(`^(?:${pattern})$`, 'v');
    return pattern;
  } catch {
    return undefined;
  }
}

/** Where a field's errors go: the form's keys are `input`, `input.<path>`, `options.<name>`. */
export function inputKey(path: string): string {
  return path === '' ? 'input' : `input.${path}`;
}

/** The form key of every field the form shows for `schema` (the input itself when it is not an
 * object of named fields: one JSON box, or one control). */
export function fieldKeys(schema: Schema): Set<string> {
  const keys = new Set<string>();
  const walk = (s: Schema, path: string) => {
    keys.add(inputKey(path));
    if (kindOf(s) !== 'object') return;
    for (const [name, prop] of propertiesOf(s)) walk(prop, join(path, name));
  };
  walk(schema, '');
  if (kindOf(schema) === 'object') keys.delete('input');
  return keys;
}
