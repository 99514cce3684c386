/** Rewrites the generated dangerous-permission table of docs/rbac.md from the RBAC classification. */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { updatePermissionTable } from '../src/rules/rbac/permission-table';

const file = path.join(__dirname, '..', 'docs', 'rbac.md');
writeFileSync(file, updatePermissionTable(readFileSync(file, 'utf8')));
