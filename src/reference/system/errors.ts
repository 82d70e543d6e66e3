// Errors of running the whole reference system (the demo and the fault tests).

/** The server already holds a previous run's events; a run's fresh databases would not match them. */
export class StreamsNotEmptyError extends Error {
  override readonly name = 'StreamsNotEmptyError';
  constructor(held: string, options?: { cause?: unknown }) {
    super(
      `the NATS server already holds reference-shop messages (${held}); the demo needs empty streams: ` +
        'point NATS_URL at a fresh server, or unset NATS_URL and let the demo start its own',
      options,
    );
  }
}

export function isStreamsNotEmptyError(error: unknown): error is StreamsNotEmptyError {
  return error instanceof Error && error.name === 'StreamsNotEmptyError';
}
