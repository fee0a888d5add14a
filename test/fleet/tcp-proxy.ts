// A loopback TCP proxy a test can cut and restore, to play a database or Redis going away and coming back.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async up(): Promise<number> {
    if (this.server) return this.port;
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); s.on('error', () => undefined); }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((res, rej) => this.server!.once('error', rej).listen(this.port, '127.0.0.1', () => res()));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : this.port;
    return this.port;
  }

  /** Refuse new connections and reset the open ones. */
  async down(): Promise<void> {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = undefined;
  }
}
