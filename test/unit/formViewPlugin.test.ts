import * as assert from 'node:assert/strict';
import { createFormViewPlugin, FORM_VIEW_ID } from '../../plugins/form-view';
import { createTableViewPlugin, TABLE_VIEW_ID } from '../../plugins/table-view';
import { PluginRegistry } from '../../src/core/registry';
import { chooseView } from '../../src/core/viewSelection';
import { column, tableSchema } from '../support/fakePlugins';

const schemaWith = (columns: number) => tableSchema({ columns: Array.from({ length: columns }, (_, i) => column(i === 0 ? 'id' : `c${i}`, i === 0 ? { kind: 'integer', primaryKeyPosition: 1, nullable: false } : {})) });

describe('the form view plugin (plugins/form-view)', () => {
  const registry = new PluginRegistry({ apiVersion: '1.2.0', log: { info: () => undefined, warn: () => undefined, error: () => undefined }, isEnabled: () => true });
  registry.registerView(createTableViewPlugin('/ext'));
  registry.registerView(createFormViewPlugin('/ext'));

  it('can show every table, read-only ones and views included', () => {
    const form = createFormViewPlugin('/ext');
    assert.equal(form.canHandle(schemaWith(1)), true);
    assert.equal(form.canHandle(tableSchema({ kind: 'view', primaryKey: [], readOnlyReason: 'a view' })), true);
    assert.deepEqual(form.webview, { root: '/ext/dist/webview', script: 'form.js', styles: ['form.css'] });
  });

  it('"auto" selection keeps the grid for ordinary tables and prefers the form above 10 columns', () => {
    const pick = (columns: number) => {
      const choice = chooseView({ candidates: registry.viewsFor(schemaWith(columns)), strategy: 'auto', order: [] });
      return choice.kind === 'view' ? choice.view.id : choice.kind;
    };
    assert.equal(pick(10), TABLE_VIEW_ID);
    assert.equal(pick(11), FORM_VIEW_ID);
    assert.deepEqual(registry.viewsFor(schemaWith(3)).map((v) => v.id), [TABLE_VIEW_ID, FORM_VIEW_ID], 'both are offered');
  });

  it("a query's result opens in the grid however wide, and can still be switched to the form", () => {
    const wide = { ...schemaWith(13), kind: 'query' as const };
    const choice = chooseView({ candidates: registry.viewsFor(wide), strategy: 'auto', order: [] });
    assert.equal(choice.kind === 'view' ? choice.view.id : choice.kind, TABLE_VIEW_ID);
    assert.deepEqual(registry.viewsFor(wide).map((v) => v.id), [TABLE_VIEW_ID, FORM_VIEW_ID]);
  });
});
