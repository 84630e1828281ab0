/** Progress lines go to stderr so stdout carries only the results table. */
const startedAt = Date.now();

export function progress(message) {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}
