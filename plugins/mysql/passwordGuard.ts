// mysql2 authentication plugins that keep the password from being revealed where kit/transportSecurity says it may
// not be (a server on another host without verified TLS, unless the connection allows it). Three ways of logging in
// reveal it: mysql_clear_password sends it as is; sha256_password and caching_sha2_password's full authentication
// send it as is over any TLS, or, without TLS, encrypted to an RSA key the server sends and nobody checks, which an
// impostor simply replaces with its own. caching_sha2_password's fast path (a scramble, when the server has the
// password cached) and mysql_native_password never send the password itself and keep working.
//
// mysql2 uses a custom plugin for a method instead of answering the server's first request itself, so each refusal
// comes before anything is sent. The plugins throw synchronously: mysql2 then fails the connection with the error as
// is (a rejected promise would get its `code` replaced).
import type { Connection } from 'mysql2';

type AuthAnswer = string | Buffer | null | Promise<string> | Promise<Buffer>;
/** mysql2's AuthPlugin shape (not exported by its typings). */
export type AuthPluginFactory = (meta: { connection: Connection; command: string }) => (data: Buffer) => AuthAnswer;

/** caching_sha2_password's "perform full authentication" status (AuthMoreData 0x04). */
const PERFORM_FULL_AUTHENTICATION = 4;

/**
 * The mysql2 options for logging in: when the password may be revealed, mysql2's own plugins (mysql_clear_password
 * included); otherwise plugins that refuse with `refusal(how)`. `cachingSha2` is mysql2's own
 * caching_sha2_password plugin, which does the fast path.
 */
export function authOptions(mayReveal: boolean, refusal: (how: string) => Error, cachingSha2: AuthPluginFactory): { enableCleartextPlugin: true } | { authPlugins: Record<string, AuthPluginFactory> } {
  if (mayReveal) return { enableCleartextPlugin: true };
  const refuse =
    (how: string): AuthPluginFactory =>
    () =>
    (): AuthAnswer => {
      throw refusal(how);
    };
  return {
    authPlugins: {
      mysql_clear_password: refuse('in clear text (mysql_clear_password)'),
      sha256_password: refuse('with sha256_password, which sends it as is over SSL, or encrypted to a key the server sends that nobody can check'),
      caching_sha2_password: (meta) => {
        const inner = cachingSha2(meta);
        let first = true;
        return (data) => {
          // The first call gets the scramble; a later lone 0x04 means the server wants the password itself.
          if (!first && data.length === 1 && data[0] === PERFORM_FULL_AUTHENTICATION) {
            throw refusal("with caching_sha2_password's full authentication, which sends it as is over SSL, or encrypted to a key the server sends that nobody can check");
          }
          first = false;
          return inner(data);
        };
      },
    },
  };
}
