/** Why a server could not start listening, as one line that says what to do. */
import { OperationalError } from '../operational-error.js';

/**
 * The error of `server.listen(port, host)` in the user's words when it is theirs to fix (a
 * port in use or reserved, an address not of this machine); any other error as it is.
 * `choose` says how to pick another port, e.g. "--port".
 */
export function listenError(error: unknown, host: string, port: number, choose: string): unknown {
  const where = `${host}:${port}`;
  const { code, syscall, hostname } = error as NodeJS.ErrnoException & { hostname?: string };
  // Only the errors of listening itself (or of looking up its address), not of anything else.
  if (syscall !== 'listen' && hostname !== host) return error;
  switch (code) {
    case 'EADDRINUSE':
      return new OperationalError(
        `port ${port} is already in use (${where}): stop the program using it, or choose another port with ${choose}`,
      );
    case 'EACCES':
      return new OperationalError(
        `port ${port} is reserved for the administrator (${where}): choose a port above 1023 with ${choose}`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new OperationalError(
        `${host} is not an address of this machine: choose another with --host (127.0.0.1 is this machine only, 0.0.0.0 every address)`,
      );
    default:
      return error;
  }
}
