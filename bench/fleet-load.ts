// The fleet benchmark's load generator, run in a worker thread so it does not share the server's event loop:
// CLIENTS concurrent keep-alive connections, each requesting the next path in turn for SECONDS.
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'node:http';

interface Job { base: string; cookie: string; paths: string[]; seconds: number; clients: number }
const { base, cookie, paths, seconds, clients } = workerData as Job;

const agent = new Agent({ keepAlive: true, maxSockets: clients });
const lat: number[] = [];
let errors = 0;
let next = 0;
const end = Date.now() + seconds * 1000;
const one = (path: string) => new Promise<void>((res) => {
  const t0 = performance.now();
  const req = request(`${base}${path}`, { agent, headers: { cookie } }, (r) => {
    r.resume();
    r.on('end', () => { if (r.statusCode !== 200) errors++; lat.push(performance.now() - t0); res(); });
  });
  req.on('error', () => { errors++; res(); });
  req.end();
});
const t0 = performance.now();
await Promise.all(Array.from({ length: clients }, async () => { while (Date.now() < end) await one(paths[next++ % paths.length]!); }));
const secs = (performance.now() - t0) / 1000;
agent.destroy();
parentPort!.postMessage({ lat, errors, secs });
