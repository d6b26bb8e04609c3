// Loaded into the server under test with NODE_OPTIONS=--import (`npm run bench -- --profile`):
// Node refuses --cpu-prof in NODE_OPTIONS, so this drives the V8 profiler through node:inspector.
// SIGUSR2 starts sampling; the next SIGUSR2 (or exit) writes
// $BENCH_PROFILE_DIR/server-<pid>-<n>.cpuprofile. The bench signals around its measured windows,
// so start-up and warm-up stay out of the profile.
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  let running = false;
  let count = 0;
  const stop = () => {
    if (!running) return;
    running = false;
    // An in-process session answers synchronously, so this also works from an exit handler.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.writeFileSync(path.join(dir, `server-${process.pid}-${++count}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('SIGUSR2', () => {
    if (running) stop();
    else {
      session.post('Profiler.start');
      running = true;
    }
  });
  process.on('exit', stop);
}
