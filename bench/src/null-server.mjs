/** The HTTP floor: node:http, body read and discarded, fixed 200 answer. Run as `node null-server.mjs PORT`. */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const answer = Buffer.from('{}');
const headers = { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(answer.length) };

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
