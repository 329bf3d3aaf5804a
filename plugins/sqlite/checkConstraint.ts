// Reads enum-like CHECK constraints out of a table's CREATE statement. This used to be one regular expression, whose
// nested repetition backtracked exponentially on a long run of doubled quotes ('a''a''a…': 22 s at 30 characters,
// twice as long with each one more); a hostile file could hang its worker on opening a table. This is a scanner
// instead: one pass over the text, each character looked at a bounded number of times.

type Token = { kind: 'word' | 'name' | 'string' | 'punct'; text: string };

/** SQLite's tokens, as far as we need them: words, quoted names, string literals, punctuation; comments skipped. */
function* tokens(sql: string): Generator<Token> {
  let i = 0;
  const quoted = (close: string): string => {
    // From just after the opening quote to just after the closing one; a doubled closing quote is one character.
    let text = '';
    for (;;) {
      const end = sql.indexOf(close, i);
      if (end < 0) {
        text += sql.slice(i);
        i = sql.length;
        return text;
      }
      text += sql.slice(i, end);
      i = end + 1;
      if (close !== ']' && sql[i] === close) {
        text += close;
        i++;
      } else return text;
    }
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'") {
      i++;
      yield { kind: 'string', text: quoted("'") };
    } else if (c === '"' || c === '`' || c === '[') {
      i++;
      yield { kind: 'name', text: quoted(c === '[' ? ']' : c) };
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      const start = i;
      while (i < sql.length && /[\p{L}\p{N}_$]/u.test(sql[i]!)) i++;
      yield { kind: 'word', text: sql.slice(start, i) };
    } else {
      i++;
      yield { kind: 'punct', text: c };
    }
  }
}

/** Values of a `CHECK (col IN ('a', 'b'))` constraint, which is how SQLite schemas spell enums. */
export function checkInValues(sql: string, column: string): string[] | undefined {
  const wanted = column.toLowerCase();
  const source = tokens(sql);
  // A small state machine over the token stream: `state` counts how much of the pattern has matched so far.
  let state = 0;
  let values: string[] = [];
  for (const token of source) {
    const is = (kind: Token['kind'], text?: string) => token.kind === kind && (text === undefined || token.text.toLowerCase() === text);
    const names = (token.kind === 'word' || token.kind === 'name') && token.text.toLowerCase() === wanted;
    switch (state) {
      case 0: // CHECK
        state = is('word', 'check') ? 1 : 0;
        break;
      case 1: // (
        state = is('punct', '(') ? 2 : 0;
        break;
      case 2: // the column
        state = names ? 3 : 0;
        break;
      case 3: // IN
        state = is('word', 'in') ? 4 : 0;
        break;
      case 4: // (
        state = is('punct', '(') ? 5 : 0;
        values = [];
        break;
      case 5: // a value
        if (is('string')) {
          values.push(token.text);
          state = 6;
        } else state = 0;
        break;
      case 6: // , or )
        state = is('punct', ',') ? 5 : is('punct', ')') ? 7 : 0;
        break;
      case 7: // the CHECK's )
        if (is('punct', ')')) return values;
        state = 0;
        break;
    }
    // A failed match may have stopped on the next CHECK keyword: start over from it.
    if (state === 0 && is('word', 'check')) state = 1;
  }
  return undefined;
}
