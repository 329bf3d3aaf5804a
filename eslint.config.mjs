// Lint: run by `npm test` (stage "lint") and so by CI. Besides the recommended rules it enforces what tsconfigs
// cannot: the folder import fences (scripts/lint/boundaries.mjs), no floating promises, and no `.only` in tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from './scripts/lint/boundaries.mjs';

const onlyCalls = ['describe', 'it', 'context', 'suite', 'test'].map(object => ({
  object, property: 'only', message: '`.only` would silently skip every other test in CI.',
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', '.vscode-test/**', 'media/**',
    'examples/*/dist/**', 'examples/*/node_modules/**', 'test/fixtures/**/dist/**',
    // Bundles the benchmarks build for themselves (bench/support/benchLib.mjs), like out/.
    '.tmp/**'] },
  js.configs.recommended,
  {
    // Scripts, benchmarks, the build and the hand-written fixture plugin run in Node; the fixture's media in a webview.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The fixture's media runs in a webview; the scroll benchmark hands its callbacks to the page it drives.
    files: ['test/fixtures/third-party-plugin/media/**/*.js', 'bench/grid-scroll.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...tseslint.configs.recommended.map(config => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { nocoflo: { rules: { boundaries } } },
    rules: {
      'nocoflo/boundaries': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-restricted-properties': ['error', ...onlyCalls],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // A webview that takes the focus a moment after a click (a tab restoring, a chart drawing) closes a quick input
    // that does not ignore focus-out, and the user loses what they typed; Nocoflo's prompts are often opened from
    // one. pickOne (src/host/quickPick.ts) sets it for pickers built with createQuickPick.
    files: ['src/**/*.ts', 'plugins/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name=/^show(QuickPick|InputBox)$/]:not(:has(Property[key.name='ignoreFocusOut']))",
        message: 'Pass ignoreFocusOut: true: a webview taking the focus would close this prompt and lose the answer.',
      }],
    },
  },
);
