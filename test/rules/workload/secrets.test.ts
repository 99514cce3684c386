import * as fc from 'fast-check';
import { nameLooksSecret, SECRET_SHAPE_LITERALS, SECRET_VALUE_SHAPES, secretLiteralKind } from '../../../src/rules/workload/secret-patterns';
import { container, deployment, paths, run } from '../../supply-chain/fixtures';

const LITERAL = 'workload-env-secret-literal';
const FROM_SECRET = 'workload-secret-env-var';
const withEnv = (env: unknown[], envFrom?: unknown[]) => deployment({ containers: [container({ env, ...(envFrom ? { envFrom } : {}) })] });

// Test credentials assembled at run time so no scanner mistakes this file for a leak.
const AWS_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const GITHUB_TOKEN = ['ghp', '_', 'a'.repeat(36)].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const PRIVATE_KEY = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIB...'].join(' ');

describe('secret patterns', () => {
  test.each([
    ['ANYTHING', AWS_KEY_ID, 'an AWS access key id'],
    ['CONFIG', `x ${GITHUB_TOKEN} y`, 'a GitHub token'],
    ['SESSION', JWT, 'a JSON Web Token'],
    ['TLS', PRIVATE_KEY, 'a private key'],
    ['DATABASE_URL', 'postgres://app:s3cr3t@db:5432/app', 'a URL with an embedded password'],
    ['DB_PASSWORD', 'hunter2', 'a credential (its name says so)'],
    ['apiKey', 'k-123-abc', 'a credential (its name says so)'],
    ['STRIPE_SECRET_KEY', 'whatever', 'a credential (its name says so)'],
    ['client.secret', 'abc', 'a credential (its name says so)'],
    ['SECRET_KEY_BASE', 'f00d', 'a credential (its name says so)'],
    ['POSTGRES_PASSWORD', 'postgres', 'a credential (its name says so)'],
  ])('%s=<value> looks like %s', (name, value, kind) => {
    expect(secretLiteralKind(name, value)).toBe(kind);
  });

  test.each([
    ['DB_PASSWORD_FILE', '/run/secrets/db'],
    ['TOKEN_PATH', 'tokens/app'],
    ['SECRET_NAME', 'db-credentials'],
    ['AWS_ACCESS_KEY_ID_REF', 'x'],
    ['API_KEY_ENABLED', 'x'],
    ['PASSWORD', ''],
    ['PASSWORD', 'true'],
    ['TOKEN_TTL', '3600'],
    ['SECRET', '$(DB_SECRET)'],
    ['SECRET', '/var/run/secrets/app'],
    ['DATABASE_URL', 'postgres://app:$(DB_PASSWORD)@db:5432/app'],
    ['DATABASE_URL', 'postgres://db:5432/app'],
    ['KEYCLOAK_REALM', 'shop'],
    ['MONKEY', 'banana'],
    ['PWD', '/app'],
    ['LOG_LEVEL', 'info'],
    ['GITHUB_REPOSITORY', 'org/repo'],
    ['SECRET_STORE', 'vault'],
    ['TOKEN_PROVIDER', 'oidc'],
    ['PASSWORD_HASH_ROUNDS', '12'],
    ['TOKENIZERS_PARALLELISM', 'false'],
    ['OAUTH_CLIENT_ID', 'shop-web'],
    ['PASSWORD_MIN_LENGTH', 'eight'],
  ])('%s=%j does not look secret', (name, value) => {
    expect(secretLiteralKind(name, value)).toBeUndefined();
  });

  test('name words are split on case, dots, dashes and underscores', () => {
    expect(nameLooksSecret('dbPassword')).toBe(true);
    expect(nameLooksSecret('db-password')).toBe(true);
    expect(nameLooksSecret('MY_PRIVATE_KEY')).toBe(true);
    expect(nameLooksSecret('PUBLIC_KEY')).toBe(false);
    expect(nameLooksSecret('KEY')).toBe(false);
  });

  test('fast-check: every value a shape matches contains one of the literals that gate the shapes', () => {
    // Fragments of every shape, so that generated values match them often (and near misses too).
    const fragments = ['-----BEGIN ', 'RSA ', 'PRIVATE KEY', '-----', 'AKIA', 'ASIA', 'ghp_', 'gho_', 'github_pat_', 'glpat-', 'xoxb-', 'AIza', 'sk_live_',
      'rk_live_', 'npm_', 'AccountKey=', 'eyJ', '.', 'A', 'Z', '0', '9', 'a', '_', '-', '+', '/', '=', ' ', 'x'.repeat(8), 'Q'.repeat(16), 'b'.repeat(36)];
    let matched = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 24 }), (parts) => {
        const value = parts.join('');
        if (SECRET_VALUE_SHAPES.some(([shape]) => shape.test(value))) {
          matched++;
          expect(SECRET_SHAPE_LITERALS.test(value)).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
    expect(matched).toBeGreaterThan(100);
  });

  test('names are judged alike when their verdict is remembered', () => {
    for (let round = 0; round < 2; round++) {
      expect(nameLooksSecret('DB_PASSWORD')).toBe(true);
      expect(nameLooksSecret('DB_PASSWORD_FILE')).toBe(false);
    }
  });

  test('the reported kind never contains the value', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 6 }), (name, value) => {
        const kind = secretLiteralKind(name, value);
        if (kind !== undefined) expect(kind.includes(value)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('workload-env-secret-literal', () => {
  test('flags literals at their path and never echoes the value', () => {
    const result = run(LITERAL, [withEnv([{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'AWS', value: AWS_KEY_ID }])]);
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.containers[0].env[1].value', 'environment variable "DB_PASSWORD" of container "app" holds a literal value that looks like a credential (its name says so)'],
      ['spec.template.spec.containers[0].env[2].value', 'environment variable "AWS" of container "app" holds a literal value that looks like an AWS access key id'],
    ]);
    for (const f of result.findings) {
      expect(f.message).not.toContain('hunter2');
      expect(f.message).not.toContain(AWS_KEY_ID);
      expect(f.remediation).not.toContain('hunter2');
    }
  });

  test('valueFrom references and malformed entries are not literals', () => {
    const env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, null, 7, { name: 'TOKEN', value: 5 }, { value: 'x' }];
    expect(paths(LITERAL, [withEnv(env)])).toEqual([]);
    expect(paths(LITERAL, [deployment({ containers: [container({ env: 'TOKEN=abc' })] })])).toEqual([]);
  });
});

describe('workload-secret-env-var', () => {
  test('secretKeyRef and envFrom secretRef are flagged at their paths', () => {
    const env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'a' } } }];
    const envFrom = [{ configMapRef: { name: 'c' } }, { secretRef: { name: 'all' } }];
    const result = run(FROM_SECRET, [withEnv(env, envFrom)]);
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.containers[0].envFrom[1].secretRef', 'container "app" loads every key of Secret "all" into its environment'],
      ['spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef', 'environment variable "DB_PASSWORD" of container "app" reads Secret "db"'],
    ]);
  });

  test('Secret volumes pass; malformed env never throws', () => {
    const volumes = { volumes: [{ name: 'db', secret: { secretName: 'db', defaultMode: 0o400 } }] };
    expect(paths(FROM_SECRET, [deployment({ pod: volumes })])).toEqual([]);
    expect(paths(FROM_SECRET, [withEnv([{ valueFrom: 'x' }, { valueFrom: { secretKeyRef: 'x' } }], [null, { secretRef: [] }])])).toEqual([]);
  });
});
