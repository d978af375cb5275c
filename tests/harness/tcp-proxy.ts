import type { Server, Socket } from 'node:net'
import { connect, createServer } from 'node:net'

/**
 * A TCP proxy in front of a real server, to simulate its outage without touching it: `cut()` drops
 * every connection and refuses new ones (as a restarting database does), `restore()` accepts again.
 */
export class TcpProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost)
      this.sockets.add(client)
      this.sockets.add(upstream)
      const close = (): void => {
        client.destroy()
        upstream.destroy()
        this.sockets.delete(client)
        this.sockets.delete(upstream)
      }
      client.on('error', close)
      upstream.on('error', close)
      client.on('close', close)
      upstream.on('close', close)
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>(resolve => this.server!.listen(port, '127.0.0.1', resolve))
    const address = this.server.address()
    this.port = typeof address === 'object' && address ? address.port : port
    return this.port
  }

  /** Drops every connection and stops listening. */
  async cut(): Promise<void> {
    for (const socket of this.sockets)
      socket.destroy()
    this.sockets.clear()
    await new Promise<void>(resolve => this.server?.close(() => resolve()) ?? resolve())
    this.server = undefined
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.start(this.port)
  }

  async stop(): Promise<void> {
    await this.cut()
  }
}
