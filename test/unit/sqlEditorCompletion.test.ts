import * as assert from 'node:assert/strict';
import type { TableInfo, TableLocator, TableSchema } from '../../api';
import { SqlCatalog, withinBudget } from '../../src/core/queries/sqlCatalog';
import { completionTarget, resolveQualifier, tableReferences } from '../../src/core/queries/sqlReferences';

describe('SQL editor completion: tables and aliases of the statement', () => {
  it('reads aliases after FROM, JOIN (with or without AS), comma lists and schema-qualified names', () => {
    const refs = tableReferences('SELECT t.Name FROM Track t, main."Genre" g JOIN Album AS a ON a.AlbumId = t.AlbumId LEFT JOIN Artist WHERE 1');
    assert.deepEqual(refs, [
      { name: 'Track', alias: 't' },
      { schema: 'main', name: 'Genre', alias: 'g' },
      { name: 'Album', alias: 'a' },
      { name: 'Artist', alias: 'Artist' },
    ]);
  });

  it('a keyword after a table is not its alias; UPDATE and INSERT INTO name tables too', () => {
    assert.deepEqual(tableReferences('SELECT * FROM Track WHERE x = 1'), [{ name: 'Track', alias: 'Track' }]);
    assert.deepEqual(tableReferences('UPDATE Track SET Name = 1'), [{ name: 'Track', alias: 'Track' }]);
    assert.deepEqual(tableReferences('INSERT INTO Genre (GenreId, Name) VALUES (1, 2)'), [{ name: 'Genre', alias: 'Genre' }]);
    assert.deepEqual(tableReferences('SELECT * FROM `my table` AS m'), [{ name: 'my table', alias: 'm' }]);
  });

  it('strings and comments are skipped; half-written statements give what they have', () => {
    assert.deepEqual(tableReferences("SELECT 'FROM x y' FROM -- FROM z\n Track t WHERE t."), [{ name: 'Track', alias: 't' }]);
    assert.deepEqual(tableReferences('SELECT * FROM '), []);
  });

  it('a qualifier resolves to an alias first, then a table name, case-insensitively', () => {
    const refs = tableReferences('SELECT * FROM Track t JOIN Album ON 1');
    assert.equal(resolveQualifier(refs, 'T')?.name, 'Track');
    assert.equal(resolveQualifier(refs, 'album')?.name, 'Album');
    assert.equal(resolveQualifier(refs, 'x'), undefined);
  });

  it('what the cursor follows: qualifier chain and prefix, quoted parts unquoted', () => {
    assert.deepEqual(completionTarget('SELECT t.Na'), { qualifier: ['t'], prefix: 'Na' });
    assert.deepEqual(completionTarget('SELECT t.'), { qualifier: ['t'], prefix: '' });
    assert.deepEqual(completionTarget('FROM public.'), { qualifier: ['public'], prefix: '' });
    assert.deepEqual(completionTarget('SELECT "my schema".Track.Na'), { qualifier: ['my schema', 'Track'], prefix: 'Na' });
    assert.deepEqual(completionTarget('SELECT Na'), { qualifier: [], prefix: 'Na' });
  });
});

describe('SQL editor completion: the catalogue cache', () => {
  const infos: TableInfo[] = [{ ref: { name: 'Track' }, kind: 'table' }];
  const schema = { table: { name: 'Track' }, kind: 'table', columns: [], primaryKey: [], foreignKeys: [] } as TableSchema;

  it('loads a connection once, answers from memory after, and loads again once forgotten', async () => {
    let loads = 0;
    const catalog = new SqlCatalog({ tableInfos: async () => (loads++, infos), schema: async () => schema });
    assert.deepEqual(await catalog.tablesOf('a', 1000), infos);
    assert.deepEqual(await catalog.tablesOf('a', 1000), infos);
    assert.equal(loads, 1);
    catalog.forget('b');
    await catalog.tablesOf('a', 1000);
    assert.equal(loads, 1, 'forgetting another connection keeps this one');
    catalog.forget('a');
    await catalog.tablesOf('a', 1000);
    assert.equal(loads, 2);
  });

  it('a connection that does not answer gives nothing within the budget, and its answer is kept for the next ask', async () => {
    let release!: (v: TableInfo[]) => void;
    const catalog = new SqlCatalog({ tableInfos: () => new Promise((r) => (release = r)), schema: async () => schema });
    assert.equal(await catalog.tablesOf('slow', 10), undefined);
    release(infos);
    assert.deepEqual(await catalog.tablesOf('slow', 10), infos);
  });

  it('a failed load gives nothing and is not retried on every keystroke', async () => {
    let loads = 0;
    const catalog = new SqlCatalog({
      tableInfos: async () => {
        loads++;
        throw new Error('connection refused');
      },
      schema: async (t: TableLocator) => ({ ...schema, table: { name: t.name } }),
    });
    assert.equal(await catalog.tablesOf('dead', 1000), undefined);
    assert.equal(await catalog.tablesOf('dead', 1000), undefined);
    assert.equal(loads, 1);
    assert.equal((await catalog.schemaOf({ datasourceId: 'dead', name: 'Track' }, 1000))?.table.name, 'Track');
  });

  it('withinBudget resolves undefined for a rejection', async () => {
    assert.equal(await withinBudget(Promise.reject(new Error('x')), 1000), undefined);
  });
});
