/**
 * Form bodies and query strings carry only strings. Before schema validation, values are turned
 * into what the route's schema asks for, strictly: an integer only from plain digits
 * (`"100"` → 100; `"1.5"`, `"1e3"`, `" 7"`, `"-1"` stay strings and fail validation, naming the
 * parameter), a boolean only from `"true"` / `"false"`. JSON bodies are never coerced: a JSON
 * `"amount":"100"` is a client bug and gets a 400.
 */

/** The parts of a JSON schema this walk reads (TypeBox emits plain JSON schema). */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
}

const DIGITS = /^\d{1,16}$/;

function hasType(schema: SchemaNode, name: string): boolean {
  const { type } = schema;
  if (type === undefined) return false;
  return typeof type === 'string' ? type === name : type.includes(name);
}

function coerceScalar(schema: SchemaNode, value: string): unknown {
  if ((hasType(schema, 'integer') || hasType(schema, 'number')) && DIGITS.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  if (hasType(schema, 'boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (hasType(schema, 'null') && value === '') return null;
  return value;
}

/** Free-form objects (`extra`, `metadata`): only booleans are recognised, numbers stay text. */
function coerceFreeForm(value: unknown): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (Array.isArray(value)) return value.map(coerceFreeForm);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerceFreeForm(v);
    return out;
  }
  return value;
}

/**
 * Returns `value` with string leaves converted where `schema` (a JSON schema, e.g. a TypeBox
 * one) asks for integers or booleans.
 */
export function coerceToSchema(schema: unknown, value: unknown): unknown {
  return coerce(schema && typeof schema === 'object' ? (schema as SchemaNode) : undefined, value);
}

function coerce(schema: SchemaNode | undefined, value: unknown): unknown {
  if (!schema) return value;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    for (const alternative of alternatives) {
      const coerced = coerce(alternative, value);
      if (coerced !== value) return coerced;
    }
    return value;
  }
  // An untyped schema (`Type.Unknown()`, a record's values) is free-form too.
  if (schema.type === undefined && !schema.properties) return coerceFreeForm(value);
  if (typeof value === 'string') return coerceScalar(schema, value);
  if (Array.isArray(value)) return schema.items ? value.map((item) => coerce(schema.items, item)) : value;
  if (value && typeof value === 'object') {
    const props = schema.properties ?? {};
    const extra = schema.additionalProperties;
    const pattern = schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined;
    const freeForm = Object.keys(props).length === 0 && !pattern && (extra === undefined || extra === true);
    if (freeForm) return coerceFreeForm(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const child = props[key] ?? pattern ?? (typeof extra === 'object' ? extra : undefined);
      out[key] = coerce(child, item);
    }
    return out;
  }
  return value;
}
