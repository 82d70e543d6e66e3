// Colour only when the stream is a terminal (and NO_COLOR is unset); machine output stays plain.
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const enabled = Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return pc.createColors(enabled || 'FORCE_COLOR' in process.env);
}
