// The write half of the real-data suite, on a scratch copy of the dataset: hostile text and exact decimals round
// trip, a row other rows refer to cannot be deleted, and a row another client changed is not overwritten. Each
// check reads the result back both through the datasource and with the engine's own client.
import * as assert from 'node:assert/strict';
import type { CellValue, RowValues, TableRef } from '../../api';
import { cell } from '../support/datasets';
import { engineCount, qualified, quote, refusal } from './oracle';
import type { Opened, RealDatabaseTarget } from './target';

/** Quotes of both kinds, a backslash, LIKE wildcards, an emoji outside the BMP, a combining accent and line breaks. */
export const HOSTILE_TEXT = `O'Brien said "hi" \\ 100% _done_ 🎸🇧🇷 Jose\u0301\nsecond line\r\nthird\tline`;

export function describeRealDataWrites(target: RealDatabaseTarget): void {
  describe('writes on a scratch copy', () => {
    let scratch: Opened | undefined;
    const db = () => {
      if (!scratch) throw new Error('the scratch copy is opened in before()');
      return scratch;
    };
    before(async () => {
      scratch = await target.openScratch();
    });
    const ref = (name: string): TableRef => {
      const schema = db().schema ?? target.schema;
      return schema ? { schema, name } : { name };
    };

    const where = (key: Record<string, CellValue>) => {
      const { raw } = db();
      return { sql: Object.keys(key).map((k) => `${quote(raw.dialect, k)} = ?`).join(' AND '), params: Object.values(key) };
    };
    /** The row as the datasource reads it, by its key. */
    const readRow = async (table: string, key: Record<string, CellValue>): Promise<RowValues | undefined> => {
      const page = await db().session.readRows(ref(table), { limit: 2, filters: Object.entries(key).map(([column, value]) => ({ column, op: 'eq' as const, value })) });
      assert.ok(page.rows.length <= 1, `the key ${JSON.stringify(key)} is unique`);
      return page.rows[0] && Object.fromEntries(page.columns.map((c, i) => [c, page.rows[0][i]]));
    };
    const engineValue = async (table: string, key: Record<string, CellValue>, column: string) => {
      const { raw } = db();
      const w = where(key);
      const rows = await raw.query(`SELECT ${quote(raw.dialect, column)} FROM ${qualified(raw.dialect, ref(table))} WHERE ${w.sql}`, w.params);
      assert.equal(rows.length, 1, `the engine finds the row ${JSON.stringify(key)}`);
      return rows[0][0];
    };

    const { bmpOnly } = target.writes.text;
    it(`inserts text with quotes, ${bmpOnly ? "emoji (refused: the column's character set has none)" : 'emoji'} and line breaks and reads back the same characters`, async () => {
      const { table, key, values, textColumn } = target.writes.text;
      const { session } = db();
      let text = HOSTILE_TEXT;
      if (bmpOnly) {
        assert.equal(await refusal(session.insertRow(ref(table), { ...key, ...values, [textColumn]: text })), 'invalid_value', 'an emoji in a utf8mb3 column');
        assert.equal(await engineCount(db().raw, ref(table), where(key)), 0, 'nothing was stored');
        text = HOSTILE_TEXT.replace(/[\u{10000}-\u{10FFFF}]/gu, '');
      }
      await session.insertRow(ref(table), { ...key, ...values, [textColumn]: text });
      const row = await readRow(table, key);
      assert.ok(row, 'the inserted row is read back');
      assert.equal(row[textColumn], text, 'through the datasource');
      assert.equal(await engineValue(table, key, textColumn), text, 'through the engine');
      await session.deleteRow(ref(table), key, row);
      assert.equal(await engineCount(db().raw, ref(table), where(key)), 0, 'the row is deleted');
    });

    it(`writes exact decimals into ${target.writes.decimals.map((d) => `${d.table}.${d.column}`).join(' and ')} and reads back the same digits`, async () => {
      const { session } = db();
      for (const { table, key, column, values } of target.writes.decimals) for (const value of values) {
        const before = await readRow(table, key);
        assert.ok(before, 'the row exists');
        await session.updateRow(ref(table), key, { [column]: value }, { [column]: before[column] });
        const after = await readRow(table, key);
        // Compared as text: 0.99 read back as 0.9900000095367432 (a float on the way) would differ here.
        assert.equal(cell(after?.[column]), value, 'through the datasource');
        assert.equal(await engineValue(table, key, column), value, 'through the engine');
      }
    });

    it('refuses to delete rows other rows refer to, with code "constraint", and changes nothing', async () => {
      const { raw, session } = db();
      for (const { table, key } of target.writes.referenced) {
        const row = await readRow(table, key);
        assert.ok(row, `${table} ${JSON.stringify(key)} exists`);
        const countBefore = await engineCount(raw, ref(table), { sql: '1 = 1', params: [] });
        assert.equal(await refusal(session.deleteRow(ref(table), key, row)), 'constraint', `deleting ${table} ${JSON.stringify(key)}`);
        assert.equal(await engineCount(raw, ref(table), where(key)), 1, 'the row is still there');
        assert.equal(await engineCount(raw, ref(table), { sql: '1 = 1', params: [] }), countBefore, 'no row of the table is gone');
        assert.deepEqual(await readRow(table, key), row, 'the datasource reads it unchanged');
      }
    });

    it("refuses an update with stale expected values ('conflict') after another client changed the row, and keeps their value", async () => {
      const { table, key, column, theirs, mine } = target.writes.conflict;
      const { raw, session } = db();
      const read = await readRow(table, key);
      assert.ok(read, 'the row exists');
      assert.notEqual(read[column], theirs, 'the other client really changes the value');
      const w = where(key);
      await raw.run(`UPDATE ${qualified(raw.dialect, ref(table))} SET ${quote(raw.dialect, column)} = ? WHERE ${w.sql}`, [theirs, ...w.params]);
      assert.equal(await refusal(session.updateRow(ref(table), key, { [column]: mine }, { [column]: read[column] })), 'conflict');
      assert.equal(await engineValue(table, key, column), theirs, 'the engine keeps their value');
      assert.equal((await readRow(table, key))?.[column], theirs, 'the datasource reads their value');
    });
  });
}
