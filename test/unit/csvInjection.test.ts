import { strict as assert } from 'node:assert';
import type { RowPage } from '../../api';
import { exportRows } from '../../src/host/panels/exportRows';

// CSV export must not hand a spreadsheet a formula (OWASP "CSV injection"): text starting with = + - @, tab or CR
// gets a leading ', numbers stay numbers, and the value is otherwise written exactly.
describe('CSV export guards against formulas (src/host/panels/exportRows)', () => {
  async function csv(columns: string[], rows: RowPage['rows']): Promise<string> {
    let out = '';
    await exportRows({
      format: 'csv',
      columns,
      pageSize: 100,
      signal: new AbortController().signal,
      readPage: async () => ({ columns, rows, keys: [] }),
      write: async (chunk) => {
        out += chunk;
      },
    });
    return out;
  }

  it('prefixes text cells that a spreadsheet would run', async () => {
    const out = await csv(['v'], [['=HYPERLINK("http://x","y")'], ['+1+1'], ['-2+3'], ['@SUM(A1)'], ['\t=1'], ['\r=1'], ['a=b'], ['plain']]);
    assert.equal(out, 'v\r\n"\'=HYPERLINK(""http://x"",""y"")"\r\n\'+1+1\r\n\'-2+3\r\n\'@SUM(A1)\r\n\'\t=1\r\n"\'\r=1"\r\na=b\r\nplain\r\n');
  });

  it('keeps numbers numbers: negative numbers, bigints and decimal strings are not prefixed', async () => {
    const out = await csv(['n', 'd'], [[-5, '-1.50'], [-(2n ** 70n), '+2e-3'], [0, '-.5']]);
    assert.equal(out, 'n,d\r\n-5,-1.50\r\n-1180591620717411303424,+2e-3\r\n0,-.5\r\n');
  });

  it('guards column names too, and leaves NULL and the empty string apart', async () => {
    const out = await csv(['=cmd', 'x'], [[null, '']]);
    assert.equal(out, "'=cmd,x\r\n,\"\"\r\n");
  });
});
