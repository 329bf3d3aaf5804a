import * as assert from 'node:assert/strict';
import { suggestedDatasourceName } from '../../src/core/datasourceName';

describe('the name offered for a new connection', () => {
  it('drops a SQLite file\'s folder and extension', () => {
    assert.equal(suggestedDatasourceName('/data/Chinook_Sqlite.sqlite'), 'Chinook_Sqlite');
    assert.equal(suggestedDatasourceName('C:\\data\\northwind.db'), 'northwind');
    assert.equal(suggestedDatasourceName('sqlite:///tmp/shop.sqlite3'), 'shop');
    assert.equal(suggestedDatasourceName('/data/app.backup'), 'app.backup', 'other extensions are part of the name');
  });

  it('takes the database of a server URL, never its credentials or query', () => {
    assert.equal(suggestedDatasourceName('postgres://alice:s3cret@db.example.com:5432/shop?sslmode=require'), 'shop');
    assert.equal(suggestedDatasourceName('mysql://root@127.0.0.1/inventory'), 'inventory');
    assert.equal(suggestedDatasourceName('postgres://alice:s3cret@db.example.com'), 'db.example.com');
    assert.equal(suggestedDatasourceName('https://api.example.com/v1/'), 'v1');
    assert.equal(suggestedDatasourceName('https://api.example.com'), 'api.example.com');
    assert.equal(suggestedDatasourceName('sqlite:///data/caf%C3%A9.sqlite'), 'café');
    assert.equal(suggestedDatasourceName('/data/100%25.db'), '100%25', 'a file name is not percent-decoded');
  });
});
