#!/usr/bin/env node
/** Entry point of the `cdk8s-hardened` binary. */
import { runCli } from './program';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  },
);
