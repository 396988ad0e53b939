import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for the web inbox, from the committed contract (schema.graphql), never from a live server:
// a fresh checkout builds offline and the web cannot drift from what the server printed.
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**', '!web/src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: true,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: {
        // The inbox keeps entities in its own stores, fed by queries, subscriptions and mutation
        // results alike, so it needs one plain type per fragment rather than masked references.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // The root tsconfig resolves like Node (NodeNext): relative imports need an extension.
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string' },
        avoidOptionals: { field: true, inputValue: false },
      },
    },
  },
};

export default config;
