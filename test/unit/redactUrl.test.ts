import * as assert from 'node:assert/strict';
import { redactUrl, redactUrlsIn } from '../../src/core/redactUrl';

describe('redactUrl', () => {
  const cases: [string, string, string][] = [
    ['a plain password', 'postgres://bob:hunter2@h:5432/db', 'postgres://bob:***@h:5432/db'],
    ['no credentials', 'https://api.example.com/x', 'https://api.example.com/x'],
    ['a user without a password', 'postgres://bob@h/db', 'postgres://bob@h/db'],
    ['an @ in the password', 'postgres://bob:p@ss@h:5432/db', 'postgres://bob:***@h:5432/db'],
    ['several @ in the password', 'mysql://root:a@b@c@db.local/shop', 'mysql://root:***@db.local/shop'],
    ['a colon in the password', 'postgres://bob:a:b@h/db', 'postgres://bob:***@h/db'],
    ['an unencoded / in the password', 'postgres://bob:se/cret@h/db', 'postgres://bob:***@h/db'],
    ['an unencoded ? in the password', 'postgres://bob:se?cret@h/db', 'postgres://bob:***@h/db'],
    ['an unencoded # in the password', 'postgres://bob:se#cret@h/db', 'postgres://bob:***@h/db'],
    ['an @ in the path, no credentials', 'https://api.example.com/users/@me', 'https://api.example.com/users/@me'],
    ['an IPv6 host', 'postgres://[::1]:5432/db?user=a@b', 'postgres://[::1]:5432/db?user=a@b'],
    ['a port but no credentials', 'postgres://h:5432/db', 'postgres://h:5432/db'],
    ['?password=', 'postgres://h/db?password=hunter2', 'postgres://h/db?password=***'],
    ['&sslpassword= among others', 'postgres://h/db?sslmode=verify-full&sslpassword=k3y&application_name=x', 'postgres://h/db?sslmode=verify-full&sslpassword=***&application_name=x'],
    ['upper case keys', 'https://h/x?Token=t0k&API_KEY=k&ApiKey=k2', 'https://h/x?Token=***&API_KEY=***&ApiKey=***'],
    ['access_token and secret', 'https://h/x?access_token=abc&secret=def&page=2', 'https://h/x?access_token=***&secret=***&page=2'],
    ['a percent-encoded key', 'https://h/x?pass%77ord=abc', 'https://h/x?pass%77ord=***'],
    ['a token in the fragment', 'https://h/cb#access_token=abc&state=1', 'https://h/cb#access_token=***&state=1'],
    ['both at once', 'postgres://u:p%40ss@h/db?password=x', 'postgres://u:***@h/db?password=***'],
    ['keys that only contain a secret word', 'https://h/x?password_hint=abc&tokens=3', 'https://h/x?password_hint=abc&tokens=3'],
    ['an empty value', 'https://h/x?token=&a=1', 'https://h/x?token=***&a=1'],
    ['a malformed percent-encoding', 'https://h/x?%E0%A4%A=1&secret=2', 'https://h/x?%E0%A4%A=1&secret=***'],
  ];
  for (const [what, url, expected] of cases) {
    it(`redacts ${what}`, () => assert.equal(redactUrl(url), expected));
  }

  it('never lets any part of a password with @, /, ? or # through', () => {
    for (const password of ['pw1@pw2', 'pw3@pw4@pw5', 'pw6/pw7@pw8', 'pw9?pwA@pwB', 'pwC#pwD@pwE', '@@pwF@']) {
      const out = redactUrl(`postgres://bob:${password}@host.example/db`);
      assert.ok(out.startsWith('postgres://bob:***@'), out);
      for (const piece of password.split(/[@/?#]/).filter(Boolean)) assert.ok(!out.includes(piece), `${out} shows ${piece}`);
    }
  });
});

describe('redactUrlsIn', () => {
  it('redacts every URL in a message and leaves the rest alone', () => {
    assert.equal(
      redactUrlsIn('could not reach "postgres://bob:p@ss@h/db" (then tried https://h/x?token=abc&page=2) ECONNREFUSED'),
      'could not reach "postgres://bob:***@h/db" (then tried https://h/x?token=***&page=2) ECONNREFUSED',
    );
    assert.equal(redactUrlsIn('no URL here: password=1'), 'no URL here: password=1');
    // A URL's end is a guess in free text: punctuation after a secret value is hidden with it rather than risk
    // showing the end of the secret.
    assert.equal(redactUrlsIn('tried https://h/x?token=abc): refused'), 'tried https://h/x?token=*** refused');
  });
});
