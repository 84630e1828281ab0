/**
 * A Runnel server in its own process, for crash tests: `node server-process.js '<config json>'`.
 * Prints one JSON line `{"endpoint": ...}` on stdout once it listens, then runs until killed.
 */
import { startServer } from '../../../src/server/start.js';

// `node --test dist/` also runs every file under a test directory, without arguments: then there
// is nothing to start.
const [configJson] = process.argv.slice(2);
if (configJson !== undefined) {
  const server = await startServer(JSON.parse(configJson));
  process.stdout.write(JSON.stringify({ endpoint: server.endpoint }) + '\n');
}
