// The part of cli-progress (which ships no types) that the import command uses.
declare module 'cli-progress' {
  interface Options {
    format?: string;
    stream?: NodeJS.WritableStream;
    hideCursor?: boolean;
    clearOnComplete?: boolean;
    /** Also print (every `notTTYSchedule` ms) when the output is not a terminal. */
    noTTYOutput?: boolean;
    notTTYSchedule?: number;
    etaBuffer?: number;
  }
  class SingleBar {
    constructor(options: Options, preset?: object);
    start(total: number, startValue: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    stop(): void;
  }
  const cliProgress: { SingleBar: typeof SingleBar; Presets: { shades_classic: object; legacy: object; rect: object } };
  export default cliProgress;
}
