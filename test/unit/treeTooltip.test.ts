import * as assert from 'node:assert/strict';
import { escapeMarkdown } from '../../src/core/markdown';
import { datasourceTooltip } from '../../src/host/tree/treeNodes';

/** Undoes CommonMark backslash escapes: what a reader sees of escaped text. */
const shown = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('datasource tooltip', () => {
  it('shows a plain name in bold with the plugin and role', () => {
    assert.equal(datasourceTooltip({ name: 'Shop', pluginName: 'SQLite', role: 'editor' }), '**Shop**\n\nSQLite\n\nYour role: editor');
    assert.equal(datasourceTooltip({ name: 'Shop', pluginName: 'SQLite' }), '**Shop**\n\nSQLite');
  });

  it('escapes links, command links, HTML, emphasis and bare URLs in names', () => {
    const hostile = '[Click](command:nocoflo.removeDatasource?%5B%22x%22%5D) <img src=x onerror=alert(1)> *bold* `code` https://evil.example';
    const markdown = datasourceTooltip({ name: hostile, pluginName: '](javascript:alert(1))' });
    assert.ok(!/(^|[^\\])[[\]()<>*`]/.test(markdown.replace(/^\*\*|\*\*(?=\n)/g, '')), markdown);
    assert.ok(!markdown.includes('https://'), 'a bare URL would be auto-linked');
    assert.ok(!markdown.includes('command:'), markdown);
    assert.equal(shown(markdown.split('\n\n')[0].slice(2, -2)), hostile, 'the name reads as typed');
  });

  it('keeps a name with line breaks on one line, so it cannot start a heading or a list', () => {
    const markdown = datasourceTooltip({ name: 'a\n# Heading\r\n- item\n[x]: command:y', pluginName: 'P' });
    assert.equal(markdown.split('\n\n')[0], '**a \\# Heading \\- item \\[x\\]\\: command\\:y**');
  });

  it('escapes every ASCII punctuation character and nothing else', () => {
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    assert.equal(escapeMarkdown(punctuation), [...punctuation].map((c) => `\\${c}`).join(''));
    assert.equal(escapeMarkdown('Ünïcode 名前 123'), 'Ünïcode 名前 123');
  });
});
