// A real HTTP endpoint that records what the tracker sends and answers as a test tells it to:
// the status of each coming request in turn (default 200), with CORS as a collector must answer, or
// no answer at all (a hung collector).
import { createServer } from 'node:http';

export async function startRecordingCollector({ port = 0 } = {}) {
  const requests = [];
  const answers = [];
  const sockets = new Set();
  const server = createServer((request, response) => {
    const cors = { 'access-control-allow-origin': request.headers.origin ?? '*', 'access-control-expose-headers': 'Retry-After' };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' }).end();
      return;
    }
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { status = 200, headers = {}, hang = false } = answers.shift() ?? {};
      let batch;
      try {
        batch = JSON.parse(body);
      } catch {
        batch = undefined;
      }
      requests.push({ method: request.method, path: request.url, headers: request.headers, body, batch, status: hang ? null : status, at: Date.now() });
      if (hang) return; // the connection stays open until the client gives up or the collector closes
      response.writeHead(status, { ...cors, ...headers, 'content-type': 'application/json' }).end('{}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (onPort) => new Promise((resolve) => server.listen(onPort, '127.0.0.1', resolve));
  await listen(port);
  const actualPort = server.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}/collect`,
    requests,
    /** Every event received, in order of arrival (duplicates included). */
    events: () => requests.flatMap((r) => r.batch?.events ?? []),
    /** The next requests get these answers, in turn: `answer({status: 503, headers: {'retry-after': '1'}})`, or `{hang: true}`: none. */
    answer: (...next) => answers.push(...next),
    /** Takes the collector down (connections refused) until `start()`. */
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
    start: () => listen(actualPort),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
