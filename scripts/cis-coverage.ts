/** Writes docs/cis-coverage.md from the code (`npx tsx scripts/cis-coverage.ts`). */
import * as fs from 'fs';
import * as path from 'path';
import { renderCisCoverage } from '../src/constructs/cluster/cis-coverage';

const target = path.join(__dirname, '..', 'docs', 'cis-coverage.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderCisCoverage());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
