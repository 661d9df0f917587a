// Starts the real server (server/main.ts) as a child process, as `npm start` would.
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../../server/config.js';
import { freePort } from '../../server/db/pool.js';

export { freePort };

export interface RunningServer { url: string; port: number; child: ChildProcess; output: () => string; stop: () => Promise<void> }

export async function startServer(env: NodeJS.ProcessEnv, args: string[] = ['start', '--no-build']): Promise<RunningServer> {
  const port = Number(env.PORT) || await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
  });
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`server exited with ${code}:\n${output}`));
    child.once('exit', onExit);
    const timer = setInterval(() => {
      if (output.includes('ready at')) { clearInterval(timer); child.off('exit', onExit); resolve(); }
    }, 100);
  });
  return {
    url: `http://127.0.0.1:${port}`, port, child, output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
