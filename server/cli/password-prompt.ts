/**
 * The password for a new operator: typed at a prompt that does not echo it when stdin is a
 * terminal (asked twice), else the first line of stdin (for scripts: `echo "$PW" | npm run …`).
 * Never an argument, where it would land in shell history and the process list.
 */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? '';
  }
  // Loaded only for a person at a terminal: scripts pipe the password in.
  const { read } = await import('read');
  const first = await read({ prompt: 'Password: ', silent: true, replace: '', output: process.stderr });
  const second = await read({ prompt: 'Again: ', silent: true, replace: '', output: process.stderr });
  if (first !== second) throw new Error('The two passwords differ; nothing was created.');
  return first;
}
