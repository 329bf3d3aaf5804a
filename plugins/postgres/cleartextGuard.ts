// A pg Client that will not answer a server's AuthenticationCleartextPassword request (pg_hba "password", and the
// ldap/pam/radius methods, which need the password as is) where kit/transportSecurity says the password may not be
// revealed. pg answers that request with the raw password; MD5 and SCRAM never reveal it and are left alone.
//
// How: pg asks for the password through `password` when it is a function (public pg API), after the connection
// emitted which authentication the server wants. Our listener is prepended, so it runs before pg's own handler (and
// pg calls the function a microtask later anyway): the function knows whether cleartext was requested and refuses
// instead of answering.
import type Pg from 'pg';

type ClientClass = typeof Pg.Client;

export function clientRefusingCleartext(Client: ClientClass, refusal: () => Error): ClientClass {
  return class ClientRefusingCleartext extends Client {
    constructor(config?: string | Pg.ClientConfig) {
      super(config);
      let cleartextRequested = false;
      this.connection.prependListener('authenticationCleartextPassword', () => {
        cleartextRequested = true;
      });
      // pg keeps the password in a non-enumerable own property (hidden from logs); the function replaces it there.
      const self = this as unknown as { password: unknown };
      const password = typeof self.password === 'string' ? self.password : undefined;
      // A rejection makes pg fail the connection with this error; nothing is written to the server.
      self.password = () => (cleartextRequested ? Promise.reject(refusal()) : password);
    }
  } as ClientClass;
}
