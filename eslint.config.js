// Lint rules, including the layering of ARCHITECTURE.md: the renderer never
// imports electron, Node modules, server-side packages, db/ or the main process
// beyond the contract; services never import the API, host, server or
// electron; db/ knows nothing of the API or services; no import cycle anywhere.
// tests/unit/layering.test.ts proves these rules can fail.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Every Node builtin, bare and with its node: prefix (fs, fs/promises, node:crypto ...), as one anchored
 * regex: a gitignore-style group would also refuse a relative './events' or './path'.
 */
const nodeBuiltinsRegex = `^(?:node:.+|(?:${builtinModules.map((m) => m.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})(?:/.*)?)$`;
/**
 * Packages that only make sense in the main process: the database drivers and query builder, the
 * HTTP server, certificate generation and the server-side workbook writer (exceljs). The renderer
 * builds its own exports with xlsx (SheetJS), which runs in the browser.
 */
const serverPackages = ['kysely', 'kysely/*', 'better-sqlite3', 'better-sqlite3*', 'pg', 'pg/*', 'pg-*', 'fastify', 'fastify*', '@fastify/*', 'selfsigned', 'exceljs', 'exceljs/*', 'electron', 'electron/*'];
/** Folders of the main process the renderer never imports (only main/contract is shared). */
const mainFolders = ['services', 'api', 'host', 'server', 'lib', 'cli', 'client', 'demo', 'electron'].map((f) => `**/main/${f}/**`);

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'artifacts/**', 'node_modules/**', '.scratch-qa/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Import cycles, with TypeScript resolution: extensionless './x' finds x.ts / x.tsx, so a cycle
    // through .ts files is seen (a resolver that does not find them reports nothing at all).
    // Type-only imports are erased at build time and do not count.
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/ignore': ['node_modules'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // Migrations are frozen in time and work on Kysely<any>.
    files: ['db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The renderer never imports electron: use lib/api.ts.' },
            { regex: nodeBuiltinsRegex, message: 'The renderer runs in a browser sandbox: no Node modules.' },
            { group: serverPackages, message: 'A server-side package: the renderer reaches data only through lib/api.ts (exports use xlsx).' },
            { group: ['**/db/**', '**/db', ...mainFolders], message: 'The renderer talks to the main process only through the contract (main/contract) and lib/api.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', '**/db/**', '**/services/**', '**/api/**'], message: 'The contract is pure: the renderer imports it.' },
            { regex: nodeBuiltinsRegex, message: 'The contract is pure: the renderer imports it.' },
          ],
        },
      ],
    },
  },
  {
    // Services hold the rules; the adapters (dispatcher, host, server, Electron) call them, never the reverse.
    // A type-only import of the handler table's types from main/api/registry is erased at build time.
    files: ['main/services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'Only main/electron and preload/ may import electron.' },
            { group: [...['api', 'host', 'server', 'electron'].flatMap((f) => [`**/main/${f}/**`, `../../${f}/*`, `../../../${f}/*`]), '**/renderer/**'], message: 'Services do not reach into the dispatcher, host, server, Electron or renderer.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['main/api/**/*.ts', 'main/host/**/*.ts', 'main/server/**/*.ts', 'main/cli/**/*.ts', 'main/demo/**/*.ts', 'main/client/**/*.ts', 'db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron'], message: 'Only main/electron and preload/ may import electron.' }] }],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', '**/main/**'], message: 'db/ knows nothing of the API, services or Electron.' }] }],
    },
  },
);
