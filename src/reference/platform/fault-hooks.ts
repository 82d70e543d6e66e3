// TEST-ONLY HOOKS: crash points for the fault tests (test/faults). Off unless the environment asks for
// them; each one kills the process with SIGKILL at a precise point, the way a power cut would.
//
//   REFERENCE_FAULT_CRASH_AFTER_COMMIT=<service>:<n>   the n-th transaction of <service> that wrote to the
//                                                      outbox commits, then the process dies before the relay
//                                                      publishes (the outbox must deliver after a restart).
//   REFERENCE_FAULT_CRASH_BEFORE_ACK=<consumer>:<n>    the n-th effect of durable <consumer> commits, then the
//                                                      process dies before the ack (the inbox must absorb the
//                                                      redelivery).

export interface FaultHooks {
  /** Called right after a transaction that wrote outbox rows committed. */
  afterOutboxCommit(service: string): void;
  /** Called right after a handler's effect committed, before the message is acked. */
  afterEffectCommit(consumer: string): void;
}

function parse(value: string | undefined): { name: string; at: number } | undefined {
  if (!value) return undefined;
  const match = /^(.+):(\d+)$/.exec(value);
  return match ? { name: match[1] as string, at: Number(match[2]) } : undefined;
}

function crash(why: string): never {
  process.stderr.write(`[fault-hook] ${why}: SIGKILL\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

export function faultHooksFromEnv(env: NodeJS.ProcessEnv = process.env): FaultHooks {
  const afterCommit = parse(env.REFERENCE_FAULT_CRASH_AFTER_COMMIT);
  const beforeAck = parse(env.REFERENCE_FAULT_CRASH_BEFORE_ACK);
  const counts = new Map<string, number>();
  const bump = (key: string) => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n;
  };
  return {
    afterOutboxCommit(service) {
      if (afterCommit?.name === service && bump(`commit:${service}`) === afterCommit.at)
        crash(`${service} committed outbox transaction #${afterCommit.at}`);
    },
    afterEffectCommit(consumer) {
      if (beforeAck?.name === consumer && bump(`ack:${consumer}`) === beforeAck.at)
        crash(`${consumer} committed effect #${beforeAck.at} before its ack`);
    },
  };
}

export const noFaults: FaultHooks = { afterOutboxCommit() {}, afterEffectCommit() {} };
