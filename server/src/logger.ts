import type { Config } from './config.ts'
import pino from 'pino'

export type Logger = pino.Logger

/** JSON logs on stdout, one object a line (pino), with the service name on every line. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'command-centre' } })
}
