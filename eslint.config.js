// Lint rules, including the layering of ARCHITECTURE.md: the renderer never
// imports electron, node:* or db/; services never import electron; db/ knows
// nothing of the API or services.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'artifacts/**', 'node_modules/**', '.scratch-qa/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
            { group: ['electron'], message: 'The renderer never imports electron: use lib/api.ts.' },
            { group: nodeBuiltins, message: 'The renderer runs in a browser sandbox: no Node modules.' },
            { group: ['**/db/**', '**/main/services/**', '**/main/api/**', '**/main/host/**', '**/main/server/**', '**/main/lib/**'], message: 'The renderer talks to the main process only through the contract (main/contract) and lib/api.ts.' },
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
        { patterns: [{ group: ['electron', ...nodeBuiltins, '**/db/**', '**/services/**', '**/api/**'], message: 'The contract is pure: the renderer imports it.' }] },
      ],
    },
  },
  {
    files: ['main/services/**/*.ts', 'main/api/**/*.ts', 'main/host/**/*.ts', 'main/server/**/*.ts', 'main/cli/**/*.ts', 'main/demo/**/*.ts', 'main/client/**/*.ts', 'db/**/*.ts'],
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
