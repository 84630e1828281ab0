/**
 * A Runnel server in its own process, for crash tests: `node server-process.js '<config json>'`.
 * Prints one JSON line `{"endpoint": ...}` on stdout once it listens, then runs until killed.
 */
import { startServer } from '../../../src/server/start.js';

const overrides = JSON.parse(process.argv[2] ?? '{}');
const server = await startServer(overrides);
process.stdout.write(JSON.stringify({ endpoint: server.endpoint }) + '\n');
