// Preloaded (`node -r`) into both processes of bench/process.bench.ts: prints the process's CPU time
// (user + system, all threads) on stderr at exit, so the comparison does not depend on the machine's load.
process.on('exit', () => {
  const usage = process.cpuUsage();
  require('fs').writeSync(2, `\nBENCH_CPU_MS=${(usage.user + usage.system) / 1000}\n`);
});
