// Colour only when the stream is a terminal (and NO_COLOR is unset); machine output stays plain.
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  if ('NO_COLOR' in process.env) return pc.createColors(false);
  if ('FORCE_COLOR' in process.env) return pc.createColors(true);
  return pc.createColors(Boolean(stream.isTTY) && process.env.TERM !== 'dumb');
}
