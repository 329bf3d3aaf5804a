// The folder fences are only as good as the rule that checks them: each fence, one import it lets through and one it
// stops. RuleTester runs the rule on code placed at a given path (the files need not exist).
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import boundaries from '../../scripts/lint/boundaries.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const at = (file, code) => ({ filename: path.join(root, file), code });
const bad = (file, code) => ({ ...at(file, code), errors: 1 });

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run('nocoflo/boundaries', boundaries, {
  valid: [
    at('webview/table/app.ts', "import { h } from '../shared/dom'; import { x } from '../../shared/protocol'; import './model/sort';"),
    at('webview/form/fields/field.ts', "import type { Row } from '../../../api';"),
    at('webview/chart/app.ts', "import embed from 'vega-embed';"),
    at('plugins/sqlite/index.ts', "import { fail } from '../kit/errors'; import type { Plugin } from '../../api'; import * as fs from 'node:fs';"),
    at('src/core/registry.ts', "import { x } from '../../shared/values'; import * as path from 'node:path';"),
    at('src/host/builtInPlugins.ts', "import { activate } from '../../plugins/sqlite'; import * as vscode from 'vscode';"),
    at('test/unit/anything.test.ts', "import { x } from '../../src/core/registry'; import { y } from '../../webview/table/app';"),
  ],
  invalid: [
    bad('webview/form/app.ts', "import { h } from '../table/dom';"),
    bad('webview/table/model/sort.ts', "import { cmp } from '../../../src/core/semver';"),
    bad('webview/shared/dom.ts', "import { x } from '../table/app';"),
    bad('webview/table/app.ts', "import * as vscode from 'vscode';"),
    bad('webview/table/app.ts', "import * as fs from 'node:fs';"),
    bad('shared/protocol.ts', "import { x } from '../src/core/registry';"),
    bad('plugins/sqlite/index.ts', "import { x } from '../../src/core/registry';"),
    bad('plugins/sqlite/index.ts', "import { x } from '../postgres/session';"),
    bad('plugins/kit/errors.ts', "export * from '../sqlite/errors';"),
    bad('src/core/tableService.ts', "import * as vscode from 'vscode';"),
    bad('src/core/metadata/store.ts', "import { writeFileAtomic } from '../../../plugins/kit/atomicFile';"),
    bad('api/index.d.ts', "import type { X } from '../shared/protocol';"),
    bad('webview/table/app.ts', "const m = import('../form/app');"),
  ],
});
