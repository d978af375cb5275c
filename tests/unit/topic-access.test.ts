import { describe, expect, it } from 'vitest'
import { ROLES } from '../../server/src/auth/roles.ts'
import { mayJoin } from '../../server/src/live/socket-auth.ts'
import { CONSOLE_TOPICS, TOPICS, WALL_TOPICS } from '#wire'

describe('who may join which live topic', () => {
  it('gives every role the wall\'s topics, the console\'s only to roles that see the console, and nobody anonymous more than an open wall', () => {
    const console = new Set(['admin', 'leader', 'dispatcher'])
    for (const topic of TOPICS) {
      const wall = (WALL_TOPICS as readonly string[]).includes(topic)
      for (const role of ROLES)
        expect({ role, topic, may: mayJoin({ sessionId: 's', role }, topic, 'device') }).toEqual({ role, topic, may: wall || console.has(role) })
      expect({ topic, open: mayJoin({ sessionId: null, role: null }, topic, 'open') }).toEqual({ topic, open: wall })
      expect({ topic, device: mayJoin({ sessionId: null, role: null }, topic, 'device') }).toEqual({ topic, device: false })
    }
    expect(CONSOLE_TOPICS).toContain('queue')
  })
})
