/**
 * A form generated from a task type's input schema: one control per field as the schema types it
 * (schema-form-model.ts), its description as help, required fields marked, the HTML attributes
 * the schema's bounds give (which hint, since the form lets the API judge), nested objects as
 * fieldsets, lists of plain values as rows to add and remove, anything else as JSON; and the API's
 * errors beside the field they name.
 */
import { useId } from 'react';
import {
  choicesOf,
  type Draft,
  htmlPattern,
  inputKey,
  kindOf,
  propertiesOf,
  requiredOf,
  type Schema,
} from './schema-form-model.ts';

type Errors = ReadonlyMap<string, readonly string[]>;

interface FieldProps {
  schema: Schema;
  /** The field's place in the input (`nested.count`), '' for the input itself. */
  path: string;
  label: string;
  required: boolean;
  draft: Draft;
  onChange(next: Draft): void;
  errors: Errors;
}

export function SchemaForm({
  schema,
  draft,
  onChange,
  errors,
}: {
  schema: Schema;
  draft: Draft;
  onChange(next: Draft): void;
  errors: Errors;
}) {
  if (kindOf(schema) === 'object') {
    if (propertiesOf(schema).length === 0) {
      return <p className="muted">This task type takes no input.</p>;
    }
    return (
      <ObjectFields schema={schema} path="" draft={draft} onChange={onChange} errors={errors} />
    );
  }
  return (
    <Field
      schema={schema}
      path=""
      label="Input"
      required
      draft={draft}
      onChange={onChange}
      errors={errors}
    />
  );
}

function ObjectFields({
  schema,
  path,
  draft,
  onChange,
  errors,
}: Omit<FieldProps, 'label' | 'required'>) {
  const fields =
    typeof draft === 'object' && !Array.isArray(draft) ? (draft as Record<string, Draft>) : {};
  const required = requiredOf(schema);
  return (
    <>
      {propertiesOf(schema).map(([name, prop]) => (
        <Field
          key={name}
          schema={prop}
          path={path === '' ? name : `${path}.${name}`}
          label={typeof prop['title'] === 'string' ? prop['title'] : name}
          required={required.has(name)}
          draft={fields[name] ?? ''}
          onChange={(next) => onChange({ ...fields, [name]: next })}
          errors={errors}
        />
      ))}
    </>
  );
}

function Field(props: FieldProps) {
  const { schema, path, label, required, errors } = props;
  const id = useId();
  const key = inputKey(path);
  const messages = errors.get(key) ?? [];
  const description = typeof schema['description'] === 'string' ? schema['description'] : null;
  const helpId = description ? `${id}-help` : undefined;
  const errorId = messages.length > 0 ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  const kind = kindOf(schema);
  const mark = required ? (
    <span className="schema-required" title="required">
      {' '}
      *
    </span>
  ) : null;
  const after = (
    <>
      {description ? (
        <span className="field-help" id={helpId}>
          {description}
        </span>
      ) : null}
      {messages.length > 0 ? (
        <span className="field-error" id={errorId} data-testid={`field-error-${key}`}>
          {messages.join('; ')}
        </span>
      ) : null}
    </>
  );
  const className = `field${messages.length > 0 ? ' invalid' : ''}`;
  if (kind === 'object' || kind === 'list') {
    return (
      <fieldset
        className={`${className} schema-fieldset`}
        data-testid={`field-${key}`}
        aria-describedby={describedBy}
      >
        <legend>
          {label}
          {mark}
        </legend>
        {kind === 'object' ? (
          <ObjectFields
            schema={schema}
            path={path}
            draft={props.draft}
            onChange={props.onChange}
            errors={errors}
          />
        ) : (
          <ListRows {...props} />
        )}
        {after}
      </fieldset>
    );
  }
  const control = (
    <Control {...props} id={id} describedBy={describedBy} invalid={messages.length > 0} />
  );
  if (kind === 'boolean') {
    return (
      <div className={className} data-testid={`field-${key}`}>
        <label className="schema-check" htmlFor={id}>
          {control}
          {label}
          {mark}
        </label>
        {after}
      </div>
    );
  }
  return (
    <div className={className} data-testid={`field-${key}`}>
      <label htmlFor={id}>
        {label}
        {mark}
      </label>
      {control}
      {after}
    </div>
  );
}

/** The one control of a field that holds a single value. */
function Control({
  schema,
  required,
  draft,
  onChange,
  id,
  describedBy,
  invalid,
  label,
}: FieldProps & { id?: string; describedBy?: string; invalid?: boolean }) {
  const common = {
    id,
    // A control without a label element of its own (a list's row) is named by its field.
    'aria-label': id === undefined ? label : undefined,
    'aria-describedby': describedBy,
    'aria-invalid': invalid || undefined,
    'aria-required': required || undefined,
    required,
  };
  const text = typeof draft === 'string' ? draft : '';
  const set = (e: { target: { value: string } }) => onChange(e.target.value);
  const num = (key: string) =>
    typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  switch (kindOf(schema)) {
    case 'boolean':
      return (
        <input
          {...common}
          type="checkbox"
          checked={draft === true}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
    case 'enum': {
      const choices = choicesOf(schema) ?? [];
      return (
        <select {...common} value={text} onChange={set}>
          <option value="">{required ? 'choose…' : '—'}</option>
          {choices.map((choice, i) => (
            <option key={String(choice)} value={String(i)}>
              {String(choice)}
            </option>
          ))}
        </select>
      );
    }
    case 'number':
    case 'integer': {
      const integer = kindOf(schema) === 'integer';
      return (
        <input
          {...common}
          type="number"
          inputMode={integer ? 'numeric' : 'decimal'}
          min={num('minimum')}
          max={num('maximum')}
          step={num('multipleOf') ?? (integer ? 1 : 'any')}
          value={text}
          onChange={set}
        />
      );
    }
    case 'datetime':
      return <input {...common} type="datetime-local" step={1} value={text} onChange={set} />;
    case 'json':
      return (
        <textarea
          {...common}
          className="schema-json"
          spellCheck={false}
          placeholder="JSON"
          rows={Math.min(12, Math.max(3, text.split('\n').length))}
          value={text}
          onChange={set}
        />
      );
    default: {
      const maxLength = num('maxLength');
      const format = schema['format'];
      if (maxLength !== undefined && maxLength > 500) {
        return (
          <textarea
            {...common}
            className="schema-long-text"
            minLength={num('minLength')}
            maxLength={maxLength}
            value={text}
            onChange={set}
          />
        );
      }
      return (
        <input
          {...common}
          type={format === 'email' ? 'email' : format === 'uri' ? 'url' : 'text'}
          minLength={num('minLength')}
          maxLength={maxLength}
          pattern={htmlPattern(schema['pattern'])}
          value={text}
          onChange={set}
        />
      );
    }
  }
}

/** A list of plain values: one control per row, rows added and removed with buttons. */
function ListRows({ schema, path, label, draft, onChange, errors }: FieldProps) {
  const items = schema['items'] as Schema;
  const rows = Array.isArray(draft) ? (draft as readonly Draft[]) : [];
  const blank = kindOf(items) === 'boolean' ? false : '';
  return (
    <div className="schema-rows">
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row is its position in the list
        <div className="schema-row" key={i}>
          <Control
            schema={items}
            path={`${path}.${i}`}
            label={`${label} ${i + 1}`}
            required
            draft={row}
            onChange={(next) => onChange(rows.map((r, j) => (j === i ? next : r)))}
            errors={errors}
          />
          <button
            type="button"
            className="button"
            aria-label={`Remove ${label} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button" onClick={() => onChange([...rows, blank])}>
          Add {rows.length === 0 ? label : 'another'}
        </button>
      </div>
    </div>
  );
}
