/**
 * A child process for the concurrent-open test: for each path read on stdin it opens (and so
 * creates and migrates) the database, closes it, and prints `ok` or `error: <message>`.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/db/connection';

for await (const path of createInterface({ input: process.stdin })) {
  try {
    openDatabase(path).close();
    process.stdout.write('ok\n');
  } catch (error) {
    process.stdout.write(`error: ${(error as Error).message.split('\n')[0]}\n`);
  }
}
