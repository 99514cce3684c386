import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1';
import { FalcoEventSource, FalcoRules } from '../../src';

const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'];
const OPERATORS = new Set(['and', 'or', 'not', 'in', 'intersects', 'pmatch', 'startswith', 'endswith', 'contains', 'icontains', 'exists', 'glob', 'true', 'false']);
const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);
/** Field classes each event source provides. */
const FIELD_CLASSES: Record<string, string[]> = {
  syscall: ['evt', 'proc', 'fd', 'container', 'k8s', 'user'],
  k8s_audit: ['ka', 'jevt'],
};
/** Falco default-ruleset macros or lists this file may rely on without defining them: deliberately none. */
const FALCO_STDLIB_USED: string[] = [];

interface Reference {
  readonly macros: string[];
  readonly lists: string[];
  readonly fields: string[];
}

/** Tokenizes a Falco condition: quoted strings are literals; bare words are macros, or lists inside `in (...)`. */
function references(condition: string): Reference {
  const tokens = condition.replace(/"[^"]*"/g, ' "" ').match(/""|\(|\)|,|[<>!=]=?|[A-Za-z_][A-Za-z0-9_.:/-]*(\[[^\]]*\])?|-?\d+/g) ?? [];
  const out: Reference = { macros: [], lists: [], fields: [] };
  let inValues = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (LIST_OPERATORS.has(t) && tokens[i + 1] === '(') {
      inValues = true;
      i++;
      continue;
    }
    if (t === ')') inValues = false;
    if (!/^[A-Za-z_]/.test(t) || OPERATORS.has(t)) continue;
    if (t.includes('.')) out.fields.push(t);
    else if (inValues) out.lists.push(t);
    else out.macros.push(t);
  }
  return out;
}

const FILES = [FalcoRules.SYSCALL_RULES_FILE, FalcoRules.K8S_AUDIT_RULES_FILE];

/** The ConfigMap and both rules files; `items` is the concatenation, `files` each file on its own. */
function rulesFile(props = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const falco = new FalcoRules(chart, 'Falco', props);
  const [configMap] = Testing.synth(chart);
  const files = FILES.map((f) => yaml.load(configMap.data[f]) as any[]);
  return { falco, configMap, files, items: files.flat() };
}

describe('FalcoRules', () => {
  test('ConfigMap: snapshot and Kubernetes schema', () => {
    const { configMap } = rulesFile();
    expect(configMap).toMatchSnapshot();
    expect(() => new ConfigMap(configMap).validate()).not.toThrow();
    expect(configMap.metadata.namespace).toBe('falco');
  });

  test('the k8saudit file declares the plugins it needs; the syscall file needs none', () => {
    const { files } = rulesFile();
    expect(files[1][0]).toEqual({ required_plugin_versions: [{ name: 'k8saudit', version: '0.7.0' }, { name: 'json', version: '0.7.0' }] });
    expect(files[0].some((i) => 'required_plugin_versions' in i)).toBe(false);
  });

  test('every rule has rule, desc, condition, output, priority, source and tags', () => {
    const { items } = rulesFile();
    const rules = items.filter((i) => 'rule' in i);
    expect(rules.length).toBe(10);
    for (const r of rules) {
      expect(Object.keys(r).sort()).toEqual(['condition', 'desc', 'output', 'priority', 'rule', 'source', 'tags']);
      expect(PRIORITIES).toContain(r.priority);
      expect(['syscall', 'k8s_audit']).toContain(r.source);
      expect(r.tags.length).toBeGreaterThan(0);
      expect(r.desc.length).toBeGreaterThan(20);
    }
    const names = rules.map((r) => r.rule);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each([0, 1])('file %i: every macro and list a condition uses is defined in the same file, and its source only uses its own fields', (fileIndex) => {
    const items = rulesFile().files[fileIndex];
    expect(new Set(items.filter((i) => 'rule' in i).map((r) => r.source))).toEqual(new Set([fileIndex === 0 ? 'syscall' : 'k8s_audit']));
    const lists = new Map(items.filter((i) => 'list' in i).map((i) => [i.list, i]));
    const macros = new Map(items.filter((i) => 'macro' in i).map((i) => [i.macro, i]));
    // a definition must precede its use in the file (Falco reads top to bottom)
    const position = new Map(items.map((item, index) => [item.list ?? item.macro ?? item.rule ?? '#header', index]));
    const used = new Set<string>();
    const fieldsOf = (condition: string, at: number, seen: string[] = []): string[] => {
      const ref = references(condition);
      for (const l of ref.lists) {
        expect({ list: l, defined: lists.has(l) || FALCO_STDLIB_USED.includes(l) }).toEqual({ list: l, defined: true });
        expect(position.get(l)!).toBeLessThan(at);
        used.add(l);
      }
      const fields = [...ref.fields];
      for (const m of ref.macros) {
        expect({ macro: m, defined: macros.has(m) || FALCO_STDLIB_USED.includes(m) }).toEqual({ macro: m, defined: true });
        expect(position.get(m)!).toBeLessThan(at);
        expect(seen).not.toContain(m);
        used.add(m);
        fields.push(...fieldsOf(macros.get(m).condition, position.get(m)!, [...seen, m]));
      }
      return fields;
    };
    for (const r of items.filter((i) => 'rule' in i)) {
      const fields = [...fieldsOf(r.condition, position.get(r.rule)!), ...(r.output.match(/%[A-Za-z_][A-Za-z0-9_.]*(\[[^\]]*\])?/g) ?? []).map((f: string) => f.slice(1))];
      expect(fields.length).toBeGreaterThan(0);
      for (const f of fields) {
        expect({ rule: r.rule, field: f, ok: FIELD_CLASSES[r.source].includes(f.split('.')[0]) }).toEqual({ rule: r.rule, field: f, ok: true });
      }
    }
    // nothing defined and never used
    expect([...lists.keys(), ...macros.keys()].filter((n) => !used.has(n))).toEqual([]);
    // every name is prefixed so it neither depends on nor overrides Falco's default rules
    expect([...lists.keys(), ...macros.keys()].every((n) => n.startsWith('hardened_'))).toBe(true);
  });

  test('the tokenizer finds undefined names (so the test above can fail)', () => {
    expect(references('spawned_process and proc.name in (shell_binaries, "x") and not fd.name startswith "/etc/"')).toEqual({
      macros: ['spawned_process'],
      lists: ['shell_binaries'],
      fields: ['proc.name', 'fd.name'],
    });
    expect(references('jevt.value[/stage] in (stages) and ka.req.pod.containers.privileged intersects (true)')).toEqual({
      macros: [],
      lists: ['stages'],
      fields: ['jevt.value[/stage]', 'ka.req.pod.containers.privileged'],
    });
  });

  test('the attacks the guides name are covered, k8saudit rules use source k8s_audit', () => {
    const { falco } = rulesFile();
    const by = (source: string) => falco.rules.filter((r) => r.source === source).map((r) => r.rule);
    expect(by('syscall')).toEqual([
      'Hardened Shell Spawned in Container',
      'Hardened Privilege Escalation Tool Run in Container',
      'Hardened Write Below System Directories in Container',
      'Hardened Container Contacts the Kubernetes API Server',
      'Hardened Sensitive File Read in Container',
    ]);
    expect(by('k8s_audit')).toEqual([
      'Hardened Exec or Attach into Pod',
      'Hardened Privileged Pod Created',
      'Hardened RBAC Changed',
      'Hardened Secret Read by Unexpected Identity',
      'Hardened Anonymous Request Allowed',
    ]);
  });

  test('allow-lists come from props; unsafe values fail; Helm values carry the same file', () => {
    const { falco, items } = rulesFile({ secretReaders: ['system:serviceaccount:vault:vault'], apiClientNamespaces: ['kube-system', 'argo'] });
    const list = (name: string) => items.find((i) => i.list === name).items;
    expect(list('hardened_secret_readers')).toContain('system:serviceaccount:vault:vault');
    expect(list('hardened_api_client_namespaces')).toEqual(['kube-system', 'argo']);
    expect(list('hardened_shell_allowed_images')).toEqual([]);
    expect(falco.helmValues(FalcoEventSource.SYSCALL)).toEqual({ customRules: { 'hardened-syscall-rules.yaml': falco.syscallRulesYaml } });
    expect(falco.helmValues(FalcoEventSource.K8S_AUDIT)).toEqual({ customRules: { 'hardened-k8saudit-rules.yaml': falco.k8sAuditRulesYaml } });
    expect(() => new FalcoRules(new Chart(Testing.app(), 'x'), 'F', { rbacManagers: ['a"b'] })).toThrow(/x\/F: rbacManagers holds an empty value or one with a quote/);
  });
});
