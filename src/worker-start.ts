// Starting a worker_threads worker on a module of this project. Built code runs the .js module directly.
// From the TypeScript sources (tsx) a worker does not inherit the loader, and Node 20 workers take no
// --import, so the worker registers tsx itself before importing the module.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The worker module next to `base`: name.ts from the sources, name.js from dist/. */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
