import fc from 'fast-check';

/** The JSON Schema subset our OpenAPI document uses (zod's `toJSONSchema` output). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
}

export interface SchemaArbitraryOptions {
  /** Mixed in wherever the schema wants a string: the strings a well-behaved client never sends. */
  hostileText: fc.Arbitrary<string>;
  /** For an unconstrained property (`{}`, e.g. a PATCH field): the schema a sibling operation gives it. */
  propertyHints?: Record<string, JsonSchema>;
  /** Only values the schema allows (as far as this subset can tell): no hostile text, no missing or unknown properties. */
  wellFormed?: boolean;
}

/**
 * Values for a JSON Schema: mostly valid ones (so requests get past validation and reach the
 * code behind it), sometimes hostile strings, an out-of-range number, a missing required
 * property or an unknown one (so the validation itself is exercised too).
 */
export function arbitraryFor(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  if (options.wellFormed) return validish(schema, options);
  return fc.oneof(
    { weight: 6, arbitrary: validish(schema, options) },
    { weight: 1, arbitrary: anyJson(options.hostileText) },
  );
}

function validish(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((each) => arbitraryFor(each, options)));
  if (schema.allOf?.[0]) return arbitraryFor(schema.allOf[0], options);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return anyJson(options.hostileText);
  return fc.oneof(...types.map((type) => ofType(type, schema, options)));
}

function ofType(type: string, schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      if (options.wellFormed) return stringFor(schema);
      return fc.oneof(
        { weight: 2, arbitrary: stringFor(schema) },
        { weight: 1, arbitrary: options.hostileText },
      );
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1_000_000;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? 1_000_000;
      const inRange =
        type === 'integer'
          ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) })
          : fc.double({ min, max, noNaN: true });
      if (options.wellFormed) return inRange;
      return fc.oneof(
        { weight: 5, arbitrary: inRange },
        {
          weight: 1,
          arbitrary: fc.constantFrom(min - 1, max + 1, 0.5, -1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER * 1e10),
        },
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryFor(schema.items ?? {}, options), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object':
      return objectFor(schema, options);
    default:
      return anyJson(options.hostileText);
  }
}

function objectFor(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    const unconstrained = Object.keys(property).every((key) => key === 'description' || key === 'default');
    const hint = unconstrained ? options.propertyHints?.[name] : undefined;
    record[name] = arbitraryFor(hint ?? property, options);
  }
  const required = schema.required ?? [];
  const shaped = fc.record(record, { requiredKeys: required.filter((name) => name in record) });
  if (options.wellFormed) return shaped;
  // Now and then a required property goes missing or an unknown one comes along.
  return fc.oneof(
    { weight: 8, arbitrary: shaped },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, fc.constantFrom(...(required.length > 0 ? required : ['x'])))
        .map(([value, name]) => omit(value as Record<string, unknown>, name)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, options.hostileText, anyJson(options.hostileText))
        .map(([value, key, extra]) => ({ ...(value as object), [key]: extra })),
    },
  );
}

function omit(value: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = value;
  return rest;
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'date':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString());
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern fast-check cannot generate from (a lookahead): plain text instead.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

/** Any JSON value, its strings sometimes hostile: for `{}` schemas and for "the wrong type". */
export function anyJson(hostileText: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const text = fc.oneof(fc.string({ maxLength: 20 }), hostileText);
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(text, tie('value'), { maxKeys: 3 }),
    ),
  })).value;
}
