// Builds the example with esbuild: the extension (Node, CommonJS, `vscode` provided by VS Code) and the board's
// webview script (browser, ES module, loaded by Nocoflo after its view client), plus the board's stylesheet.
//   node build.mjs               development build into dist/
//   node build.mjs --production  minified
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const common = { bundle: true, minify: production, sourcemap: production ? false : 'inline', logLevel: 'warning', absWorkingDir: root };

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['src/board/board.ts'], outfile: 'dist/board/board.js', platform: 'browser', format: 'esm', target: 'es2022' }),
]);
mkdirSync(join(root, 'dist/board'), { recursive: true });
cpSync(join(root, 'src/board/board.css'), join(root, 'dist/board/board.css'));
console.log(`[csv-kanban] built dist/${production ? ' (production)' : ''}`);
