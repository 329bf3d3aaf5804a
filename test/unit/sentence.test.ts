import * as assert from 'node:assert/strict';
import { sentence } from '../../shared/sentence';

describe('sentence (joining a database message and what happened next)', () => {
  it('ends a bare database message with a full stop', () => {
    assert.equal(`${sentence('FOREIGN KEY constraint failed')} Nothing was saved.`, 'FOREIGN KEY constraint failed. Nothing was saved.');
  });

  it('leaves a message that already ends a sentence or a quotation alone', () => {
    assert.equal(sentence('Saved.'), 'Saved.');
    assert.equal(sentence('really?'), 'really?');
    assert.equal(sentence('violates constraint "fk_track"'), 'violates constraint "fk_track"');
    assert.equal(sentence('  trailing space  '), 'trailing space.');
  });
});
