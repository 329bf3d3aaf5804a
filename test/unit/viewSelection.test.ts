import * as assert from 'node:assert/strict';
import { chooseView } from '../../src/core/viewSelection';
import { viewPlugin } from '../support/fakePlugins';

const table = viewPlugin({ id: 'nocoflo.table', priority: 100 });
const form = viewPlugin({ id: 'nocoflo.form', priority: 50 });
const chart = viewPlugin({ id: 'nocoflo.chart', priority: 10 });
const candidates = [table, form, chart];
const picked = (c: ReturnType<typeof chooseView>) => (c.kind === 'view' ? `${c.view.id}/${c.reason}` : c.kind);

describe('chooseView', () => {
  it('auto: the highest-priority candidate', () => {
    assert.equal(picked(chooseView({ candidates, strategy: 'auto', order: [] })), 'nocoflo.table/auto');
  });

  it('manual: asks with every candidate', () => {
    const choice = chooseView({ candidates, strategy: 'manual', order: [] });
    assert.equal(choice.kind, 'ask');
    assert.deepEqual(choice.kind === 'ask' && choice.candidates.map((v) => v.id), ['nocoflo.table', 'nocoflo.form', 'nocoflo.chart']);
  });

  it('priority: the first id of the configured order that is a candidate', () => {
    assert.equal(picked(chooseView({ candidates, strategy: 'priority', order: ['missing.view', 'nocoflo.chart', 'nocoflo.table'] })), 'nocoflo.chart/priority');
    assert.equal(picked(chooseView({ candidates, strategy: 'priority', order: ['missing.view'] })), 'nocoflo.table/auto', 'falls back to auto');
  });

  it('a stored preference beats every strategy, unless that view is gone', () => {
    for (const strategy of ['auto', 'manual', 'priority'] as const) {
      assert.equal(picked(chooseView({ candidates, strategy, order: ['nocoflo.table'], preferred: 'nocoflo.form' })), 'nocoflo.form/preference');
    }
    assert.equal(picked(chooseView({ candidates, strategy: 'auto', order: [], preferred: 'uninstalled.view' })), 'nocoflo.table/auto');
  });

  it('an explicit request wins, and a request for an unavailable view says so', () => {
    assert.equal(picked(chooseView({ candidates, strategy: 'manual', order: [], requested: 'nocoflo.chart', preferred: 'nocoflo.form' })), 'nocoflo.chart/requested');
    const refused = chooseView({ candidates, strategy: 'auto', order: [], requested: 'disabled.view' });
    assert.equal(refused.kind, 'none');
    assert.match(refused.kind === 'none' ? refused.reason : '', /"disabled\.view" is not available/);
  });

  it('a single candidate opens without asking; none gives a reason', () => {
    assert.equal(picked(chooseView({ candidates: [form], strategy: 'manual', order: [] })), 'nocoflo.form/only');
    assert.equal(chooseView({ candidates: [], strategy: 'auto', order: [] }).kind, 'none');
  });
});
