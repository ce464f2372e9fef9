import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for a TypeScript client of this API (README, "Code generation"):
 *
 *   KBS_TOKEN=<access token> npx graphql-codegen --config examples/codegen/codegen.ts
 *
 * The schema comes from the running server as SDL (GET /graphql/schema.graphql, shown to requests
 * with a token by default, as introspection is); `schema: 'schema/schema.graphql'` reads the
 * committed copy instead. KBS_API is the server (default http://localhost:4000), KBS_CODEGEN_OUT
 * where the types go. test/codegen.test.ts runs this file against the test server.
 */
const api = process.env.KBS_API ?? 'http://localhost:4000';
const token = process.env.KBS_TOKEN;

const config: CodegenConfig = {
  schema: [{ [`${api}/graphql/schema.graphql`]: { headers: token ? { Authorization: `Bearer ${token}` } : {} } }],
  documents: ['examples/codegen/*.graphql'],
  generates: {
    [process.env.KBS_CODEGEN_OUT ?? 'examples/codegen/generated/graphql.ts']: {
      // typescript-operations 6 writes the operations' result and variable types and only the
      // enums and inputs they use, not a type for every object of the schema.
      plugins: ['typescript-operations'],
      config: {
        // The custom scalars, by their @specifiedBy: GeoJSON is RFC 7946, Date and DateTimeISO
        // are RFC 3339 strings. A geometry input may also be a Feature (its geometry is used).
        // `featureCollection` is a GeoJSON scalar too, typed Geometry here: it is a
        // FeatureCollection, so cast it (as unknown as FeatureCollection).
        scalars: {
          GeoJSON: { input: "import('geojson').Geometry | import('geojson').Feature", output: "import('geojson').Geometry" },
          Date: 'string',
          DateTimeISO: 'string',
          JSONObject: 'Record<string, unknown>',
          JSON: 'unknown',
        },
        strictScalars: true,
      },
    },
  },
};

export default config;
