import type { JsonSchema, OpenApiDocument } from "../../api/openapi.ts";
import { allowsNull, defaultValue, matchesType, resolveSchema, variantsOf } from "./json-schema.ts";

export interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  doc: OpenApiDocument;
  errors: Record<string, string>;
  /** Neither required nor defaulted: left empty, the field is not sent. */
  optional?: boolean;
}

/** The choice that leaves an optional select unset. */
const UNSET = "";

const label = (name: string) => name.replace(/([A-Z])/g, " $1").toLowerCase();

function Hint({
  schema,
  path,
  errors,
}: {
  schema: JsonSchema;
  path: string;
  errors: Record<string, string>;
}) {
  const bounds = [
    schema.minimum !== undefined
      ? `≥ ${schema.minimum}`
      : schema.exclusiveMinimum !== undefined
        ? `> ${schema.exclusiveMinimum}`
        : "",
    schema.maximum !== undefined
      ? `≤ ${schema.maximum}`
      : schema.exclusiveMaximum !== undefined
        ? `< ${schema.exclusiveMaximum}`
        : "",
  ]
    .filter(Boolean)
    .join(", ");
  const defaultText =
    schema.default !== undefined && typeof schema.default !== "object"
      ? `default ${String(schema.default)}`
      : "";
  return (
    <>
      <small className="muted">{[defaultText, bounds].filter(Boolean).join("; ")}</small>
      {errors[path] ? (
        <small className="error" id={`${path}-error`} role="alert">
          {errors[path]}
        </small>
      ) : null}
    </>
  );
}

function NumberField({ name, path, schema, value, onChange, errors, optional }: FieldProps) {
  const integer = schema.type === "integer";
  return (
    <label className="field">
      <span>{label(name)}</span>
      <input
        type="number"
        name={path}
        value={typeof value === "number" ? value : ""}
        min={schema.minimum ?? schema.exclusiveMinimum}
        max={schema.maximum ?? schema.exclusiveMaximum}
        step={integer ? 1 : "any"}
        aria-invalid={Boolean(errors[path])}
        aria-describedby={errors[path] ? `${path}-error` : undefined}
        placeholder={optional ? "(not set)" : undefined}
        onChange={(e) =>
          onChange(e.target.value === "" ? (optional ? undefined : Number.NaN) : Number(e.target.value))
        }
      />
      <Hint schema={schema} path={path} errors={errors} />
    </label>
  );
}

function TextField({ name, path, schema, value, onChange, errors, optional }: FieldProps) {
  return (
    <label className="field">
      <span>{label(name)}</span>
      <input
        name={path}
        value={typeof value === "string" ? value : ""}
        maxLength={schema.maxLength}
        aria-invalid={Boolean(errors[path])}
        aria-describedby={errors[path] ? `${path}-error` : undefined}
        placeholder={optional ? "(not set)" : undefined}
        onChange={(e) => onChange(e.target.value === "" && optional ? undefined : e.target.value)}
      />
      <Hint schema={schema} path={path} errors={errors} />
    </label>
  );
}

/** The value a number may take or one of a few words (`repeats: 3 | "auto"`): a choice, then the number. */
function NumberOrWord(props: FieldProps & { number: JsonSchema; words: JsonSchema }) {
  const { name, path, value, onChange, number, words } = props;
  const word = typeof value === "string" ? value : null;
  const numberDefault = typeof props.schema.default === "number" ? props.schema.default : number.minimum;
  return (
    <fieldset>
      <legend>{label(name)}</legend>
      <label className="field">
        <span>kind</span>
        <select
          name={`${path}.kind`}
          value={word ?? UNSET}
          onChange={(e) => onChange(e.target.value === UNSET ? numberDefault : e.target.value)}
        >
          <option value={UNSET}>a number</option>
          {(words.enum ?? []).map((w) => (
            <option key={String(w)}>{String(w)}</option>
          ))}
        </select>
      </label>
      {word === null ? (
        <NumberField {...props} schema={{ ...number, default: props.schema.default }} />
      ) : null}
    </fieldset>
  );
}

/** A list of items (objectives, say): each item's fields, a button to remove it, one to add another. */
function ListField(props: FieldProps) {
  const { name, path, schema, value, onChange, doc, errors } = props;
  const items = (Array.isArray(value) ? value : []) as unknown[];
  const item = resolveSchema(schema.items!, doc);
  const full = schema.maxItems !== undefined && items.length >= schema.maxItems;
  const one = label(name).replace(/s$/, "");
  const set = (next: unknown[]) => onChange(next.length === 0 && props.optional ? undefined : next);
  return (
    <fieldset className="list-field" data-testid={`${path}-list`}>
      <legend>{label(name)}</legend>
      {items.map((current, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a list's positions are its items' identity while editing
        <div key={i} className="list-item">
          <SchemaField
            {...props}
            name={`${one} ${i + 1}`}
            path={`${path}.${i}`}
            schema={item}
            value={current}
            onChange={(v) => set(items.map((old, j) => (j === i ? v : old)))}
          />
          <button type="button" onClick={() => set(items.filter((_, j) => j !== i))}>
            Remove {one} {i + 1}
          </button>
        </div>
      ))}
      <button type="button" disabled={full} onClick={() => set([...items, defaultValue(item, doc) ?? {}])}>
        Add {one}
      </button>
      {errors[path] ? (
        <small className="error" id={`${path}-error`} role="alert">
          {errors[path]}
        </small>
      ) : null}
    </fieldset>
  );
}

/**
 * One form control for a schema node: numbers, text, enums, booleans, objects, kinds (oneOf), pairs (prefixItems),
 * lists (items), a number or a word (anyOf).
 */
export function SchemaField(props: FieldProps) {
  const { name, path, value, onChange, doc, errors } = props;
  const schema = resolveSchema(props.schema, doc);
  const variants = variantsOf(schema, doc);
  if (variants) {
    const key = schema.discriminator?.propertyName ?? "kind";
    const current = value as Record<string, unknown>;
    const variant = variants.get(String(current?.[key]));
    const nullable = allowsNull(schema) || props.optional;
    return (
      <fieldset>
        <legend>{label(name)}</legend>
        <label className="field">
          <span>{key}</span>
          <select
            name={`${path}.${key}`}
            value={current == null ? UNSET : String(current[key])}
            onChange={(e) =>
              onChange(
                e.target.value === UNSET
                  ? undefined
                  : {
                      ...(defaultValue(variants.get(e.target.value)!, doc) as object),
                      [key]: e.target.value,
                    },
              )
            }
          >
            {nullable ? <option value={UNSET}>none</option> : null}
            {[...variants.keys()].map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        {variant ? <ObjectFields {...props} schema={variant} skip={key} /> : null}
      </fieldset>
    );
  }
  if (schema.anyOf) {
    const branches = schema.anyOf.map((b) => resolveSchema(b, doc));
    const branch = branches.find((b) => matchesType(b, value)) ?? branches[0]!;
    const numberBranch = branches.find((b) => b.type === "integer" || b.type === "number");
    const wordBranch = branches.find((b) => b.enum);
    if (numberBranch && wordBranch)
      return <NumberOrWord {...props} number={numberBranch} words={wordBranch} />;
    const boolBranch = branches.find((b) => b.type === "boolean");
    const objectBranch = branches.find((b) => b.properties);
    if (boolBranch && objectBranch) {
      // `augment: false | true | { … }`: a checkbox, then the object's settings once on.
      const on = value !== false;
      return (
        <fieldset>
          <legend>{label(name)}</legend>
          <label className="check">
            <input
              type="checkbox"
              name={path}
              checked={on}
              onChange={(e) => onChange(e.target.checked ? defaultValue(objectBranch, doc) : false)}
            />
            on
          </label>
          {on && typeof value === "object" ? <ObjectFields {...props} schema={objectBranch} /> : null}
        </fieldset>
      );
    }
    return <SchemaField {...props} schema={{ ...branch, default: schema.default }} />;
  }
  if (schema.type === "integer" || schema.type === "number")
    return <NumberField {...props} schema={schema} />;
  if (schema.type === "string" && !schema.enum) return <TextField {...props} schema={schema} />;
  if (schema.type === "array" && schema.items) return <ListField {...props} schema={schema} />;
  if (schema.type === "boolean")
    return (
      <label className="check">
        <input
          type="checkbox"
          name={path}
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
        {label(name)}
      </label>
    );
  if (schema.enum)
    return (
      <label className="field">
        <span>{label(name)}</span>
        <select
          name={path}
          value={value === undefined ? UNSET : String(value)}
          onChange={(e) => onChange(e.target.value === UNSET ? undefined : e.target.value)}
        >
          {schema.default === undefined ? <option value={UNSET}>(not set)</option> : null}
          {schema.enum.map((option) => (
            <option key={String(option)}>{String(option)}</option>
          ))}
        </select>
        <Hint schema={schema} path={path} errors={errors} />
      </label>
    );
  if (schema.prefixItems) {
    const items = (Array.isArray(value) ? value : []) as unknown[];
    return (
      <fieldset>
        <legend>{label(name)}</legend>
        {schema.prefixItems.map((item, i) => (
          <SchemaField
            // biome-ignore lint/suspicious/noArrayIndexKey: positions are the identity of a tuple's items
            key={i}
            {...props}
            name={`${name} ${i + 1}`}
            path={`${path}.${i}`}
            schema={item}
            value={items[i]}
            onChange={(v) => onChange(items.map((old, j) => (j === i ? v : old)))}
          />
        ))}
      </fieldset>
    );
  }
  if (schema.properties)
    return (
      <fieldset>
        <legend>{label(name)}</legend>
        <ObjectFields {...props} schema={schema} />
      </fieldset>
    );
  return null;
}

export function ObjectFields(props: FieldProps & { skip?: string }) {
  const { path, value, onChange, doc, errors } = props;
  const object = (value ?? {}) as Record<string, unknown>;
  const schema = resolveSchema(props.schema, doc);
  return (
    <div className="fields">
      {Object.entries(schema.properties ?? {})
        .filter(([key]) => key !== props.skip)
        .map(([key, inner]) => (
          <SchemaField
            key={key}
            name={key}
            path={path ? `${path}.${key}` : key}
            schema={inner}
            value={object[key]}
            onChange={(v) => onChange({ ...object, [key]: v })}
            doc={doc}
            errors={errors}
            optional={!schema.required?.includes(key) && resolveSchema(inner, doc).default === undefined}
          />
        ))}
    </div>
  );
}
