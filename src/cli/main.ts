#!/usr/bin/env node
/** Entry point of the `cdk8s-hardened` binary. */
// First: the tiering applies to the code loaded after it (the catalog's module code counts towards it too).
import './tiering';
import { runCli } from './program';

// `cdk8s-hardened check . | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  },
);
